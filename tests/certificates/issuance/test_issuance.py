"""R-K1, R-K2, R-K3: issuing the certificates of an approved result batch and printing them."""

import datetime as dt

import pytest

from certificates.issuance import services
from certificates.models import Certificate, IssueStatus
from certificates.printing.services import holder_pdf
from portal.core.errors import ServiceError
from tests.certificates.factories import approved_batch, issued_batch, prefix_for
from tests.support.pdfs import pdf_text, stored_pdf_pages

pytestmark = pytest.mark.django_db


def test_r_k2_numbers_are_consecutive_per_enterprise_year_and_level(ent_a, alice):
    batch = issued_batch(ent_a, alice, "passed", "failed", "passed", "passed")
    numbers = list(Certificate.objects.filter(batch=batch).values_list("number", flat=True))
    assert numbers == [
        "Y000044012345264000001",
        "Y000044012345264000002",
        "Y000044012345264000003",
    ]
    # The next batch of the same enterprise, year and level goes on from there.
    second = issued_batch(ent_a, alice, "passed")
    assert second.certificates.get().number == "Y000044012345264000004"


def test_r_k1_batch_pdf_has_one_page_per_certificate_in_roster_order(ent_a, alice):
    batch = issued_batch(ent_a, alice, "passed", "passed", "failed", "passed")
    batch.refresh_from_db()
    assert batch.status == IssueStatus.READY
    assert batch.pages == 3
    pages = stored_pdf_pages(batch.pdf.name)
    names = [c.holder_name for c in batch.certificates.order_by("position")]
    for page, name in zip(pages, names, strict=False):
        assert name in page


def test_r_k3_certificate_pdf_shows_every_printed_field(ent_a, alice):
    batch = issued_batch(ent_a, alice, "passed")
    certificate = batch.certificates.get()
    text = pdf_text(holder_pdf(certificate))
    for expected in (
        "职业技能等级证书",
        certificate.holder_name,
        "居民身份证",
        certificate.id_number,
        "车工",
        "--",
        "四级/中级工",
        certificate.number,
        ent_a.name,
        "2026年11月20日",
        "jndj.osta.org.cn",
        "pjjg.osta.org.cn",
        "/v/",
    ):
        assert expected in text, expected


def test_r_k2_issuing_without_a_prefix_is_refused_with_the_rule(ent_a, alice):
    batch = approved_batch(ent_a, "passed")
    with pytest.raises(ServiceError) as refusal:
        services.issue_certificates(
            result_batch=batch, actor=alice, issued_on=dt.date(2026, 11, 20)
        )
    assert any("证书编号前缀" in str(problem) for problem in refusal.value.problems)
    assert not Certificate.objects.exists()


def test_r_k1_results_not_yet_approved_cannot_be_certified(ent_a, alice):
    prefix_for(ent_a)
    batch = approved_batch(ent_a, "passed")
    batch.status = "submitted"
    batch.save()
    with pytest.raises(ServiceError):
        services.issue_certificates(
            result_batch=batch, actor=alice, issued_on=dt.date(2026, 11, 20)
        )


def test_a_batch_is_issued_once(ent_a, alice):
    batch = issued_batch(ent_a, alice, "passed")
    with pytest.raises(ServiceError):
        services.issue_certificates(
            result_batch=batch.result_batch, actor=alice, issued_on=dt.date(2026, 11, 20)
        )
    assert Certificate.objects.count() == 1
