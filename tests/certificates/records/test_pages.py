"""The certificate pages of enterprises and bureaus: issuing (R-K1, R-K2), the issue batch and
its PDF, the certificate list and detail (R-K3), and the numbering prefixes the city sets (R-K2).
"""

import datetime as dt
import json

import pytest
from django.test import TestCase
from django.urls import reverse

from certificates.issuance import services
from certificates.issuance.tasks import print_batch
from certificates.models import Certificate, IssueBatch, NumberingPrefix
from certificates.numbering.services import prefix_set
from certificates.records.views import CERTIFICATE_PAGE_SIZE
from portal.core.masking import mask_id
from tests.certificates.factories import approved_batch, issued_batch, prefix_for
from tests.support.factories import approved_filing, make_member
from tests.support.pdfs import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def unprinted_batch(enterprise, actor, *results: str) -> IssueBatch:
    """Certificates issued, the batch PDF not printed yet (on-commit callbacks do not run)."""
    if not NumberingPrefix.objects.filter(enterprise=enterprise).exists():
        prefix_for(enterprise)
    batch = approved_batch(enterprise, *results)
    return services.issue_certificates(
        result_batch=batch, actor=actor, issued_on=dt.date(2026, 11, 20)
    )


# Issuing (R-K1, R-K2) -----------------------------------------------------------------------


def test_r_k2_issue_page_shows_the_passed_examinees_and_the_numbers_they_will_get(
    client, alice, ent_a
):
    issued_batch(ent_a, alice, "passed")  # serial 000001 of 2026, level 4 is taken
    batch = approved_batch(ent_a, "passed", "failed", "passed")
    client.force_login(alice)
    text = client.get(reverse("certificate_issue", args=[batch.plan_id])).text
    assert "合格考生</dt><dd>2</dd>" in text
    assert "四级/中级工" in text
    assert "Y000044012345264000002" in text
    assert "Y000044012345264000003" in text
    assert 'value="2026-11-22"' in text  # the issue date defaults to today in Shanghai


def test_r_k2_issue_page_lists_every_refusal_and_post_keeps_the_input(client, alice, ent_a):
    batch = approved_batch(ent_a, "passed")  # no prefix set by the city
    client.force_login(alice)
    url = reverse("certificate_issue", args=[batch.plan_id])
    text = client.get(url).text
    assert "尚未设置本企业的证书编号前缀" in text and "R-K2" not in text
    response = client.post(url, {"issued_on": "2026-11-25"})
    assert response.status_code == 200
    text = response.text
    assert 'value="2026-11-25"' in text
    assert "尚未设置本企业的证书编号前缀" in text and "R-K2" not in text
    messages = [str(m) for m in response.context["messages"]]
    assert messages == [
        "暂不能核发证书。",
        "市级主管部门尚未设置本企业的证书编号前缀（机构代码、省份代码、站点序号）。",
        "发证日期：不能晚于今天。",
    ]
    assert not Certificate.objects.exists()


def test_r_k1_issuing_redirects_to_the_batch_with_its_certificates(client, alice, ent_a):
    prefix_for(ent_a)
    batch = approved_batch(ent_a, "passed", "passed", "failed")
    client.force_login(alice)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("certificate_issue", args=[batch.plan_id]), {"issued_on": "2026-11-20"}
        )
    issue = IssueBatch.objects.get()
    assert response["Location"] == reverse("issue_batch_detail", args=[issue.pk])
    text = client.get(response["Location"]).text
    assert "已核发 2 本证书" in text
    for certificate in issue.certificates.all():
        assert certificate.number in text
        assert mask_id(certificate.id_number) in text
        assert certificate.id_number not in text
    assert "下载批量PDF" in text
    # The result batch page and the issue page now lead to the certificates.
    again = client.get(reverse("certificate_issue", args=[batch.plan_id])).text
    assert reverse("issue_batch_detail", args=[issue.pk]) in again


def test_issue_page_is_404_for_bureaus_other_enterprises_and_unapproved_results(
    client, alice, bob, dora, carl, ent_a
):
    prefix_for(ent_a)
    batch = approved_batch(ent_a, "passed")
    url = reverse("certificate_issue", args=[batch.plan_id])
    for user in (bob, dora, carl):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"issued_on": "2026-11-20"}).status_code == 404
    batch.status = "submitted"
    batch.save()
    client.force_login(alice)
    assert client.get(url).status_code == 404


# The issue batch, its progress and its PDF ------------------------------------------------


def test_r_k1_batch_page_follows_the_printing_then_offers_the_pdf(client, alice, dora, ent_a):
    issue = unprinted_batch(ent_a, alice, "passed", "passed")
    client.force_login(dora)
    progress = reverse("issue_batch_progress", args=[issue.pk])
    text = client.get(reverse("issue_batch_detail", args=[issue.pk])).text
    assert "正在生成批量PDF" in text
    assert progress in text
    response = client.get(progress)
    assert response["Cache-Control"] == "private, no-store"
    assert json.loads(response.content) == {
        "status": "rendering",
        "done": 0,
        "total": 2,
        "percent": 0,
        "ready": False,
        "pdf_url": None,
    }
    pdf_url = reverse("issue_batch_pdf", args=[issue.pk])
    waiting = client.get(pdf_url, follow=True)
    assert "批量PDF仍在生成中" in waiting.text

    with TestCase.captureOnCommitCallbacks(execute=True):  # its parts go out at commit
        print_batch(issue.pk)

    state = json.loads(client.get(progress).content)
    assert state == {
        "status": "ready",
        "done": 2,
        "total": 2,
        "percent": 100,
        "ready": True,
        "pdf_url": pdf_url,
    }
    response = client.get(pdf_url)
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    text = pdf_text(b"".join(response.streaming_content))
    for certificate in issue.certificates.all():
        assert certificate.holder_name in text


def test_batch_list_shows_the_scope_of_each_user(client, alice, bob, fred, carl, ent_a):
    issue = issued_batch(ent_a, alice, "passed")
    url = reverse("issue_batch_list")
    detail = reverse("issue_batch_detail", args=[issue.pk])
    for user, sees in ((alice, True), (carl, True), (bob, False), (fred, False)):
        client.force_login(user)
        assert (detail in client.get(url).text) is sees
    client.force_login(bob)
    assert client.get(detail).status_code == 404


def test_r_k3_holder_pdf_is_the_certificate_with_the_holder_name(client, alice, dora, ent_a):
    certificate = issued_batch(ent_a, alice, "passed").certificates.get()
    for user in (alice, dora):
        client.force_login(user)
        response = client.get(reverse("certificate_pdf", args=[certificate.pk]))
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        text = pdf_text(response.content)
        assert certificate.holder_name in text
        assert certificate.number in text


# The list and the detail --------------------------------------------------------------------


def test_certificate_list_searches_by_number_or_name_and_filters(client, alice, ent_a):
    batch = issued_batch(ent_a, alice, "passed", "passed")
    first, second = batch.certificates.order_by("position")
    Certificate.objects.filter(pk=second.pk).update(level=3, holder_name="欧阳娜娜")
    client.force_login(alice)
    url = reverse("certificate_list")

    def numbers(**query) -> set[str]:
        page = client.get(url, query).context["page"]
        return {c.number for c in page.object_list}

    assert numbers() == {first.number, second.number}
    assert numbers(q=first.number[-6:]) == {first.number}
    assert numbers(q=" " + first.number.lower() + " ") == {first.number}
    assert numbers(q="欧阳") == {second.number}
    assert numbers(level="3") == {second.number}
    assert numbers(year="2026") == {first.number, second.number}
    assert numbers(year="2025") == set()
    assert numbers(status="revoked") == set()
    text = client.get(url).text
    assert mask_id(first.id_number) in text
    assert first.id_number not in text


@pytest.mark.parametrize("rows", [1, 50])
def test_certificate_list_costs_the_same_queries_for_1_or_50_rows(
    client, alice, ent_a, rows, django_assert_max_num_queries
):
    unprinted_batch(ent_a, alice, *["passed"] * rows)
    client.force_login(alice)
    # 6, and the unread-notification count of the navigation bar.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("certificate_list"), {"status": "valid"})
    assert len(response.context["page"].object_list) == min(rows, CERTIFICATE_PAGE_SIZE)


def test_r_k3_detail_shows_the_printed_fields_masked_id_and_verification_link(
    client, alice, carl, ent_a
):
    certificate = issued_batch(ent_a, alice, "passed").certificates.get()
    client.force_login(carl)
    text = client.get(reverse("certificate_detail", args=[certificate.pk])).text
    for expected in (
        certificate.holder_name,
        "居民身份证",
        mask_id(certificate.id_number),
        "车工",
        "四级/中级工",
        certificate.number,
        ent_a.name,
        "2026-11-20",
        "/v/",
        "有效",
        "撤销证书",  # the city may revoke
    ):
        assert expected in text, expected
    assert certificate.id_number not in text
    assert "补办或更正" not in text  # only the enterprise reissues or corrects


# Numbering prefixes (R-K2) -----------------------------------------------------------------


@pytest.fixture
def filed_a(ent_a):
    approved_filing(ent_a, "440320260001", approved_on=dt.date(2026, 1, 5))
    return ent_a


@pytest.fixture
def cora(world):
    return make_member("cora", "city", bureau=world["city"])


def test_r_k2_city_reviewers_list_filed_enterprises_and_their_prefix(
    client, carl, cora, dora, alice, filed_a, ent_b
):
    for user in (carl, cora):
        client.force_login(user)
        text = client.get(reverse("numbering_prefix_list")).text
        assert filed_a.name in text
        assert "未设置" in text
        assert ent_b.name not in text  # no approved filing
    prefix_for(filed_a)
    text = client.get(reverse("numbering_prefix_list")).text
    assert "Y000044012345" in text
    assert "Y000044012345264000001" in text  # the example number
    for user in (dora, alice):
        client.force_login(user)
        assert client.get(reverse("numbering_prefix_list")).status_code == 404
        edit = reverse("numbering_prefix_edit", args=[filed_a.pk])
        assert client.get(edit).status_code == 404


def test_r_k2_prefix_form_names_each_wrong_field_and_the_rule(client, carl, filed_a):
    client.force_login(carl)
    url = reverse("numbering_prefix_edit", args=[filed_a.pk])
    text = client.get(url).text
    assert 'value="0000"' in text
    assert 'value="44"' in text  # the province of the city
    response = client.post(
        url,
        {
            "category": "X",
            "institution_code": "12a4",
            "province_code": "99",
            "site_serial": "12345",
            "version": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"category", "institution_code", "province_code", "site_serial"}
    text = response.text
    for message in (
        "只能是Y（用人单位）或S（社会培训评价组织）",
        "“12A4”不是4位数字",
        "“99”不是GB/T 2260规定的省份代码（如广东为44）",
        "“12345”不是6位数字",
    ):
        assert message in text, message
    assert 'value="12345"' in text  # the input is kept
    assert not NumberingPrefix.objects.exists()


def test_r_k2_prefix_is_saved_with_full_width_digits_folded(client, carl, filed_a):
    client.force_login(carl)
    response = client.post(
        reverse("numbering_prefix_edit", args=[filed_a.pk]),
        {
            "category": "Y",
            "institution_code": "０００１",
            "province_code": "44",
            "site_serial": "012 345",
            "version": "0",
        },
        follow=True,
    )
    assert "Y000144012345" in response.text
    assert NumberingPrefix.objects.get(enterprise=filed_a).prefix == "Y000144012345"


def test_r_k2_stale_prefix_edit_keeps_the_input_and_shows_the_current_prefix(
    client, carl, cora, filed_a
):
    prefix_for(filed_a)
    url = reverse("numbering_prefix_edit", args=[filed_a.pk])
    client.force_login(carl)
    form_version = client.get(url).context["form"].initial["version"]
    mine = {"category": "Y", "institution_code": "0000", "province_code": "44"}
    # cora saves first, the same prefix but for its site serial.
    prefix_set(
        enterprise=filed_a, actor=cora, site_serial="111111", expected_version=form_version, **mine
    )
    response = client.post(url, {**mine, "site_serial": "222222", "version": str(form_version)})
    assert response.status_code == 200
    text = response.text
    assert 'value="222222"' in text
    assert "Y000044111111" in text  # what cora saved meanwhile
    assert NumberingPrefix.objects.get(enterprise=filed_a).site_serial == "111111"
    # Saving again, having seen cora's change, works.
    seen = response.context["form"].data["version"]
    response = client.post(url, {**mine, "site_serial": "222222", "version": seen})
    assert response.status_code == 302
    assert NumberingPrefix.objects.get(enterprise=filed_a).site_serial == "222222"
