"""WeasyPrint fetches nothing outside the portal. Markup typed into any field that reaches a PDF
(enterprise name and address, occupation and work type names on the filing receipt; holder,
occupation, work type and issuer on certificates, laid out or stamped) is printed as text: a
tiny HTTP server on 127.0.0.1 gets no request, /etc/passwd is not read, and the PDF's text
shows the markup as typed. The fetcher itself is tested on file://, 127.0.0.1, the cloud
metadata address, data: URLs and the portal's own static files.

The templates escape user text, so WeasyPrint never sees the tags; the fetcher is the second
wall, proven by the same payloads marked safe (as a template mistake would)."""

import re
import urllib.request
from pathlib import Path

import pytest
from django.template import engines

from certificates.printing import documents as printing
from certificates.printing import stamping
from filings.models import WorkType
from filings.review.documents import filing_receipt_pdf
from portal.core import pdf
from portal.core.pdf import PortalURLFetcher, ResourceRefused, render_pdf
from tests.certificates.factories import issued_batch
from tests.support.factories import OccupationFactory, ScopeLineFactory, approved_filing
from tests.support.pdfs import pdf_text_without_spaces


@pytest.fixture
def listener(spy_server):
    """The spy server, checked to answer and record first: an empty list means nothing asked."""
    base, hits = spy_server
    with urllib.request.urlopen(f"{base}/alive") as answer:
        assert answer.status == 200
    assert hits == ["/alive"]
    hits.clear()
    return base, hits


def payloads(base: str) -> dict[str, str]:
    """Each one fits the shortest field it goes into (60 characters)."""
    return {
        "file": '<img src="file:///etc/passwd">',
        "link": f'<link rel=stylesheet href="{base}/l.css">',
        "import": f'<style>@import "{base}/i.css";</style>',
        "url": f'<p style="background:url({base}/u.png)">',
    }


def assert_printed_as_text(content: bytes, texts) -> None:
    printed = pdf_text_without_spaces(content)
    for text in texts:
        assert re.sub(r"\s+", "", text) in printed
    assert "LEAKED" not in printed and "root:x:0:0" not in printed


@pytest.fixture
def fetched(monkeypatch) -> list[str]:
    """Every URL WeasyPrint asks the portal's fetcher for."""
    urls: list[str] = []
    original = PortalURLFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(PortalURLFetcher, "fetch", spy)
    return urls


def outside(urls: list[str]) -> list[str]:
    return [url for url in urls if "passwd" in url or "127.0.0.1" in url]


# The documents -------------------------------------------------------------------------------


def test_the_filing_receipt_prints_markup_in_its_fields_as_text(ent_a, listener, fetched):
    base, hits = listener
    typed = payloads(base)
    ent_a.name = typed["link"]
    ent_a.address = typed["file"] + typed["url"]
    ent_a.save(update_fields=["name", "address"])
    filing = approved_filing(ent_a)
    occupation = OccupationFactory(code="6-18-01-01", name=typed["import"])
    ScopeLineFactory(
        filing=filing,
        occupation=occupation,
        work_type=WorkType.objects.create(occupation=occupation, name=typed["file"]),
    )
    content = filing_receipt_pdf(filing)
    assert_printed_as_text(content, typed.values())
    assert hits == []
    assert outside(fetched) == []


@pytest.fixture
def certificate(ent_a, alice, settings, tmp_path, listener):
    settings.MEDIA_ROOT = tmp_path
    certificate = issued_batch(ent_a, alice, "passed").certificates.get()
    typed = payloads(listener[0])
    certificate.holder_name = typed["link"]
    certificate.occupation_name = typed["import"]
    certificate.work_type_name = typed["url"]
    certificate.issuer_name = typed["file"]
    return certificate


def test_the_stamped_certificate_prints_markup_as_text(certificate, listener, fetched):
    base, hits = listener
    assert printing.stamped_page(certificate, stamping.metrics()) is not None  # the fast path
    content = printing.certificates_pdf([certificate])
    assert_printed_as_text(content, payloads(base).values())
    assert hits == []
    assert outside(fetched) == []


def test_the_laid_out_certificate_prints_markup_as_text(certificate, listener, fetched):
    # The layout WeasyPrint makes of a whole page, for names with characters the font lacks.
    base, hits = listener
    content = printing.certificates_pdf_reference([certificate])
    assert_printed_as_text(content, payloads(base).values())
    assert hits == []
    assert outside(fetched) == []


def test_a_certificate_with_a_rare_character_is_laid_out_and_fetches_nothing(
    certificate, listener, fetched
):
    base, hits = listener
    certificate.holder_name = "𪚥" + payloads(base)["link"]  # not in WenQuanYi Micro Hei
    assert printing.stamped_page(certificate, stamping.metrics()) is None
    content = printing.certificates_pdf([certificate])
    assert_printed_as_text(content, [payloads(base)["link"]])
    assert hits == []
    assert outside(fetched) == []


def test_markup_slipping_past_escaping_is_still_not_fetched(monkeypatch, listener, fetched):
    """A template mistake (|safe on user text): the fetcher refuses every outside resource."""
    base, hits = listener
    engine = engines["django"]
    monkeypatch.setattr(
        pdf, "render_to_string", lambda name, context: engine.from_string(name).render(context)
    )
    markup = "".join(payloads(base).values()) + (
        f'<iframe src="{base}/f"></iframe><object data="{base}/o"></object>'
        f'<svg><image href="{base}/s.png"/></svg><link rel=attachment href="{base}/a">'
        f'<style>@font-face {{ font-family: x; src: url("{base}/font.ttf"); }}'
        f"p {{ font-family: x; background-image: url(file:///etc/passwd) }}</style><p>正文</p>"
    )
    # The markup goes into the template unescaped, as |safe on user text would put it.
    source = '{% extends "pdf/base_pdf.html" %}{% block content %}' + markup + "{% endblock %}"
    content = render_pdf(source, {})
    assert "正文" in pdf_text_without_spaces(content)
    assert "LEAKED" not in pdf_text_without_spaces(content)
    assert hits == []
    assert outside(fetched)  # WeasyPrint asked, the fetcher refused


# The fetcher ----------------------------------------------------------------------------------


@pytest.fixture
def fetcher(settings) -> PortalURLFetcher:
    return PortalURLFetcher(font=Path(settings.PDF_FONT_PATH))


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file://localhost/etc/passwd",
        "file:///proc/self/environ",
        "FILE:///etc/passwd",
        "http://127.0.0.1/",
        "http://localhost:8000/admin/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://metadata.google.internal/computeMetadata/v1/",
        "https://example.com/logo.png",
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1:6379/_INFO",
    ],
)
def test_the_fetcher_refuses_everything_outside_the_portal(fetcher, url):
    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)


def test_the_fetcher_refuses_the_network_without_connecting(fetcher, listener):
    base, hits = listener
    for url in [f"{base}/x.css", base.replace("127.0.0.1", "localhost") + "/y.css"]:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)
    assert hits == []


def test_the_fetcher_refuses_a_static_path_climbing_out_or_a_link_leading_out(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "ok.css").write_text("p {}")
    (static / "out.css").symlink_to("/etc/passwd")
    fetcher = PortalURLFetcher(font=Path(settings.PDF_FONT_PATH), static_dir=static)
    assert fetcher.fetch((static / "ok.css").as_uri()).read() == b"p {}"
    for url in [
        (static / "out.css").as_uri(),
        static.as_uri() + "/../../../etc/passwd",
        static.as_uri() + "/%2e%2e/%2e%2e/etc/passwd",
        static.as_uri() + "/missing.css",
    ]:
        with pytest.raises(ResourceRefused):
            fetcher.fetch(url)


def test_the_fetcher_allows_data_urls_the_font_and_the_portal_static_files(fetcher, settings):
    assert fetcher.fetch("data:text/css;base64,Ym9keXt9").read() == b"body{}"
    assert fetcher.fetch("data:,plain").read() == b"plain"
    assert fetcher.fetch(Path(settings.PDF_FONT_PATH).as_uri()).read(4) in (b"ttcf", b"\0\1\0\0")
    css = fetcher.fetch((pdf.STATIC_DIR / "portal" / "portal.css").as_uri())
    assert css.content_type == "text/css" and css.read()
