"""Seed 004 §一(三) (R-S4): the certificate of an examinee assessed at one of the scheme's own
levels is numbered and printed at the national level it maps to, the enterprise's title beside
it, on the record page, the list, the PDF and the public verification answer."""

import datetime as dt
import re

import pytest
from django.test import TestCase
from django.urls import reverse

from assessments.models import LevelMapping, RosterEntry
from certificates.issuance import services
from tests.assessments.factories import approved_scheme
from tests.certificates.factories import approved_batch, prefix_for
from tests.support.pdfs import pdf_text_without_spaces

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

TOP = "一级/高级技师（企业等级：特级技师）"


@pytest.fixture
def certificate(ent_a, alice):
    scheme = approved_scheme(ent_a, levels=(5, 4, 3, 2, 1))
    LevelMapping.objects.create(scheme=scheme, enterprise_level="特级技师", national_level=1)
    prefix_for(ent_a)
    batch = approved_batch(ent_a, "passed", "passed", scheme=scheme, levels=[4, 1])
    entry = batch.plan.roster.order_by("seq").first()
    RosterEntry.objects.filter(pk=entry.pk).update(level=1, enterprise_level="特级技师")
    with TestCase.captureOnCommitCallbacks(execute=True):
        issued = services.issue_certificates(
            result_batch=batch, actor=alice, issued_on=dt.date(2026, 11, 20)
        )
    return issued.certificates.get(entry=entry)


def test_seed004_s1_3_certificate_carries_the_title_and_the_national_level_numbers_it(
    certificate,
):
    assert certificate.level == 1 and certificate.enterprise_level == "特级技师"
    # The number's level digit (after the two of the year) is the national level.
    assert re.fullmatch(r".+261\d{6}", certificate.number)


def test_seed004_s1_3_record_page_list_and_pdf_show_the_title_beside_the_national_level(
    client, alice, certificate
):
    client.force_login(alice)
    assert TOP in client.get(reverse("certificate_detail", args=[certificate.pk])).text
    assert TOP in client.get(reverse("certificate_list")).text
    pdf = client.get(reverse("certificate_pdf", args=[certificate.pk])).content
    text = pdf_text_without_spaces(pdf)
    assert "一级/高级技师" in text and "企业等级：特级技师" in text


def test_seed004_s1_3_public_verification_answers_with_the_title_beside_the_level(
    client, certificate
):
    response = client.post(
        reverse("certificate_verify"),
        {"number": certificate.number, "name": certificate.holder_name},
    )
    assert TOP in response.text
