"""Reading back the PDFs the portal stored, as a person reading them would see the text."""

import subprocess

from django.core.files.storage import default_storage


def stored_pdf_pages(name: str) -> list[str]:
    """The text of each page of a stored PDF (pdftotext -layout)."""
    with default_storage.open(name, "rb") as handle:
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=handle.read(), capture_output=True, check=True
        ).stdout.decode()
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends every page with a form feed
    return pages
