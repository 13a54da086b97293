"""R-F7: the filing receipt (备案回执): its content, the task that stores it, its download."""

import re
import subprocess
from urllib.parse import quote

import pytest

from filings.models import Filing, WorkType
from filings.review import tasks
from filings.review.documents import filing_receipt_pdf
from filings.review.services import filing_store_receipt
from filings.review.tasks import render_filing_receipt
from tests.support.factories import (
    FilingFactory,
    OccupationFactory,
    ScopeLineFactory,
    approved_filing,
)
from tests.support.pdfs import pdf_text, pdf_text_without_spaces

TITLE = "企业职业技能等级认定备案回执"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def filing(ent_a) -> Filing:
    filing = approved_filing(ent_a)
    turner = OccupationFactory(code="6-18-01-01", name="车工")
    ScopeLineFactory(filing=filing, occupation=turner, levels=[3, 5, 4])
    electrician = OccupationFactory(code="6-31-01-03", name="电工")
    ScopeLineFactory(
        filing=filing,
        occupation=electrician,
        work_type=WorkType.objects.create(occupation=electrician, name="维修电工"),
        levels=[2, 3],
        standard_type="enterprise",
    )
    return filing


def test_r_f7_receipt_prints_the_filing_in_chinese(filing, settings):
    settings.PORTAL_BASE_URL = "https://jnpj.example.gov.cn"
    text = pdf_text(filing_receipt_pdf(filing))
    assert TITLE in text
    assert "440320250001" in text
    assert "南山精密机械有限公司" in text
    assert filing.enterprise.credit_code in text
    assert "深圳市 南山区" in text
    assert "深圳市南山区科技园1号" in text
    assert "6-18-01-01" in text and "车工" in text
    assert "五级至三级" in text
    assert "--" in text  # 车工 has no work type
    assert "维修电工" in text and "三级、二级" in text
    assert "企业标准" in text
    assert "2025年3月14日" in text and "2028年3月13日" in text
    assert "https://jnpj.example.gov.cn/directory/" in text


def test_r_f7_receipt_wraps_a_long_enterprise_name(ent_a):
    ent_a.name = "深圳" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 3 + "精密机械有限公司"
    ent_a.save(update_fields=["name"])
    content = filing_receipt_pdf(approved_filing(ent_a))
    bbox = subprocess.run(
        ["pdftotext", "-bbox", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    page_width = float(re.search(r'<page width="([\d.]+)"', bbox).group(1))
    right_edges = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    right_margin = page_width - 20 / 25.4 * 72  # 20 mm
    assert max(right_edges) <= right_margin + 1
    assert ent_a.name in pdf_text_without_spaces(content)


def test_r_f7_markup_in_enterprise_text_is_printed_not_fetched(ent_a, monkeypatch):
    fetched = []
    from portal.core.pdf import PortalURLFetcher

    original = PortalURLFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(PortalURLFetcher, "fetch", spy)
    ent_a.name = '<img src="file:///etc/passwd">公司'
    ent_a.address = '<img src="http://127.0.0.1:8000/x.png">路1号'
    ent_a.save(update_fields=["name", "address"])
    text = pdf_text(filing_receipt_pdf(approved_filing(ent_a)))
    assert '<img src="file:///etc/passwd">公司' in text
    assert "http://127.0.0.1:8000/x.png" in text
    assert not [url for url in fetched if "passwd" in url or "127.0.0.1" in url]


def test_r_f7_task_stores_the_receipt_once(filing):
    render_filing_receipt(filing.pk)
    filing.refresh_from_db()
    assert filing.receipt_pdf.name.endswith(".pdf")
    first_name = filing.receipt_pdf.name
    first = filing.receipt_pdf.read()
    filing.receipt_pdf.close()
    assert TITLE in pdf_text(first)

    filing.enterprise.name = "改名后的公司"
    filing.enterprise.save(update_fields=["name"])
    render_filing_receipt(filing.pk)
    filing.refresh_from_db()
    assert filing.receipt_pdf.name == first_name
    with filing.receipt_pdf.open("rb") as stored:
        assert stored.read() == first


def test_r_f7_task_makes_no_receipt_for_a_filing_not_approved(ent_a):
    filing = FilingFactory(enterprise=ent_a, status="city_review")
    render_filing_receipt(filing.pk)
    filing.refresh_from_db()
    assert not filing.receipt_pdf


def test_r_f7_task_retries_an_unexpected_error(filing, monkeypatch):
    calls = []
    real = tasks.filing_receipt_pdf

    def flaky(f):
        calls.append(f.pk)
        if len(calls) == 1:
            raise OSError("disk hiccup")
        return real(f)

    monkeypatch.setattr(tasks, "filing_receipt_pdf", flaky)
    render_filing_receipt.apply(args=[filing.pk])
    filing.refresh_from_db()
    assert len(calls) == 2
    assert filing.receipt_pdf


def url(filing) -> str:
    return f"/filings/{filing.pk}/receipt.pdf"


def download(client, user, filing):
    client.force_login(user)
    return client.get(url(filing))


def test_r_f7_owner_downloads_the_receipt_rendered_on_demand(client, alice, filing):
    response = download(client, alice, filing)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert quote("备案回执") in response["Content-Disposition"]
    assert "440320250001" in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert TITLE in pdf_text(content)
    filing.refresh_from_db()
    assert filing.receipt_pdf  # stored, so the task finds nothing left to do


def test_r_f7_download_serves_the_stored_receipt(client, alice, filing):
    filing_store_receipt(filing_id=filing.pk, pdf=b"%PDF-1.7 stored receipt")
    response = download(client, alice, filing)
    assert b"".join(response.streaming_content) == b"%PDF-1.7 stored receipt"


@pytest.mark.parametrize("persona", ["dora", "carl"])
def test_r_f7_reviewers_of_the_district_and_city_download_it(client, filing, persona, request):
    filing_store_receipt(filing_id=filing.pk, pdf=b"%PDF-1.7 stored receipt")
    response = download(client, request.getfixturevalue(persona), filing)
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["bob", "fred", "olga", "erin", "sam"])
def test_r_f7_others_get_404(client, filing, persona, request):
    assert download(client, request.getfixturevalue(persona), filing).status_code == 404


def test_r_f7_no_receipt_before_approval(client, alice, ent_a):
    filing = FilingFactory(enterprise=ent_a, status="city_review")
    assert download(client, alice, filing).status_code == 404
    filing.refresh_from_db()
    assert not filing.receipt_pdf


def test_r_f7_anonymous_is_sent_to_log_in(client, filing):
    response = client.get(url(filing))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
