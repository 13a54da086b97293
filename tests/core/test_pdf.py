"""portal.core.pdf: the CJK font is required and the fetcher loads nothing outside the portal."""

import io
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template import engines
from pypdf import PdfReader

from portal.core import pdf
from portal.core.pdf import PortalURLFetcher, ResourceRefused, font_path, render_pdf
from tests.support.pdfs import pdf_text


@pytest.fixture
def fetcher(settings) -> PortalURLFetcher:
    return PortalURLFetcher(font=Path(settings.PDF_FONT_PATH))


@pytest.fixture
def render_probe(monkeypatch):
    """Render a template string with render_pdf, as if it were a file under templates/pdf/."""
    engine = engines["django"]

    def render(source: str) -> bytes:
        monkeypatch.setattr(
            pdf,
            "render_to_string",
            lambda name, context: engine.from_string(source).render(context),
        )
        return render_pdf("pdf/probe.html", {})

    return render


def embedded_font_names(content: bytes) -> list[str]:
    names = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if "/FontFile2" in descriptor or "/FontFile3" in descriptor:
                    names.append(str(descriptor["/FontName"]))
    return names


def test_fetcher_refuses_local_files_outside_the_portal(fetcher):
    for url in [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file://evil.example/etc/passwd",
        f"{pdf.STATIC_DIR.as_uri()}/../../settings.py",
        f"{pdf.STATIC_DIR.as_uri()}/portal/%2e%2e/%2e%2e/%2e%2e/portal/settings.py",
    ]:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)


def test_fetcher_refuses_the_network_including_localhost(fetcher, spy_server):
    base, hits = spy_server
    for url in [f"{base}/x.css", "http://127.0.0.1/", "https://example.com/logo.png", "ftp://x/y"]:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)
    assert hits == []


def test_fetcher_allows_data_urls_the_font_and_static_files(fetcher, settings):
    data = fetcher.fetch("data:text/css;base64,Ym9keXt9")
    assert data.read() == b"body{}"
    font = fetcher.fetch(Path(settings.PDF_FONT_PATH).as_uri())
    assert font.read(4) == b"ttcf"
    css = fetcher.fetch((pdf.STATIC_DIR / "portal" / "portal.css").as_uri())
    assert b"font" in css.read()
    assert css.content_type == "text/css"


def test_missing_font_fails_loudly(settings):
    settings.PDF_FONT_PATH = "/nonexistent/wqy-microhei.ttc"
    with pytest.raises(ImproperlyConfigured, match="PDF_FONT_PATH"):
        font_path()
    with pytest.raises(ImproperlyConfigured, match="CJK font"):
        render_pdf("pdf/base_pdf.html", {})


def test_render_pdf_embeds_chinese_and_skips_refused_resources(render_probe, spy_server, tmp_path):
    base, hits = spy_server
    secret_css = tmp_path / "evil.css"
    secret_css.write_text('body::before { content: "LEAKED-FROM-FILE"; }')
    content = render_probe(
        '{% extends "pdf/base_pdf.html" %}{% block content %}'
        f'<link rel="stylesheet" href="{secret_css.as_uri()}">'
        f'<link rel="stylesheet" href="{base}/evil.css">'
        f'<img src="file:///etc/passwd"><img src="{base}/pixel.png">'
        '<link rel="stylesheet" href="data:text/css,p%3A%3Aafter%7Bcontent%3A%22DATA-OK%22%7D">'
        "<p>中文备案回执</p>{% endblock %}"
    )
    text = pdf_text(content)
    assert "中文备案回执" in text
    assert "DATA-OK" in text  # data: URLs load, so the refusals below are the fetcher's doing
    assert "LEAKED" not in text
    assert hits == []
    # Embedded from the @font-face file (not a system fallback), subset: named ABCDEF+Family.
    assert any(
        name.startswith("/") and "+" + pdf.PDF_FONT_FAMILY in name
        for name in embedded_font_names(content)
    )
