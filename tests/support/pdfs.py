"""Reading back the PDFs the portal makes, as a person reading them would see the text: one
extractor (poppler's pdftotext, keeping the layout) for every test."""

import re
import subprocess

from django.core.files.storage import default_storage


def pdf_pages(content: bytes, *, layout: bool = True) -> list[str]:
    """The text of each page, laid out as printed, or else in the order it was written (a
    table cell's lines together, however the columns beside it wrap)."""
    mode = ["-layout"] if layout else ["-raw"]
    text = subprocess.run(
        ["pdftotext", *mode, "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends every page with a form feed
    return pages


def pdf_text(content: bytes) -> str:
    return "\n".join(pdf_pages(content))


def pdf_text_without_spaces(content: bytes) -> str:
    """The text in the order it was written, with all white space removed: a long value wrapped
    onto several lines of its table cell reads as one string again."""
    return re.sub(r"\s+", "", "".join(pdf_pages(content, layout=False)))


def stored_pdf_pages(name: str) -> list[str]:
    """The text of each page of a PDF in the portal's storage."""
    with default_storage.open(name, "rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF-"), f"{name} is not a PDF"
    return pdf_pages(content)


def stored_pdf_text(name: str) -> str:
    return "\n".join(stored_pdf_pages(name))
