"""Shandong (seed 004 §三(三)): "经市、省职业技能鉴定（指导）中心审核通过后" the enterprise
issues the certificates. Where the policy has `results_province_review`, the city's approval of
a result filing sends it to the provincial centre, which approves it (certificates may be
issued) or returns it to the enterprise. Elsewhere (Shenzhen) the city's approval is the last
word.

The Shandong side is a local fixture: 山东省 (Shandong preset) → 泰安市 → 泰山区, with the
provincial reviewer `shen`, Tai'an's city reviewer `tai` and another province's reviewer `zhe`.
"""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import BatchStatus, ResultBatch
from assessments.results import services
from certificates.issuance.services import issue_problems
from portal.core.models import AuditEvent
from portal.core.presets import apply_preset
from tests.assessments.results.factories import acknowledged_plan, publicised_batch, with_results
from tests.certificates.factories import prefix_for
from tests.support.factories import BureauFactory, EnterpriseFactory, make_member

SUBMITTED = dt.date(2026, 11, 12)
CITY_DECIDES = dt.date(2026, 11, 16)  # a Monday
# 20 working days (the default review clock) after Monday 2026-11-16.
PROVINCE_DUE = dt.date(2026, 12, 14)
PROVINCE_DECIDES = dt.date(2026, 11, 20)


def on(day: dt.date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def zh(text) -> str:
    with translation.override("zh-hans"):
        return str(text)


@pytest.fixture
def shandong(db):
    province = BureauFactory(code="37", name="山东省", level="province")
    apply_preset(province, "shandong")
    taian = BureauFactory(code="3709", name="泰安市", level="city", parent=province)
    taishan = BureauFactory(code="370902", name="泰山区", level="district", parent=taian)
    zhejiang = BureauFactory(code="33", name="浙江省", level="province")
    enterprise = EnterpriseFactory(name="泰安泰山钢铁有限公司", district=taishan)
    return {
        "province": province,
        "taian": taian,
        "enterprise": enterprise,
        "owner": make_member("ta-operator", "enterprise", enterprise=enterprise),
        "tai": make_member("tai", "city", bureau=taian),
        "shen": make_member("shen", "province", bureau=province),
        "zhe": make_member("zhe", "province", bureau=zhejiang),
    }


@pytest.fixture
def taian_plan(shandong):
    plan = acknowledged_plan(shandong["enterprise"])
    with_results(plan, "passed", "passed", "failed")
    publicised_batch(plan, status="submitted", submitted_on=SUBMITTED)
    return plan


def decide(client, user, plan, day: dt.date, data: dict) -> str:
    client.force_login(user)
    with on(day):
        response = client.post(reverse("result_decide", args=[plan.pk]), data, follow=True)
    return response.content.decode()


def page_of(client, user, plan, day: dt.date) -> str:
    client.force_login(user)
    with on(day):
        return client.get(reverse("result_batch", args=[plan.pk])).content.decode()


def batch_of(plan) -> ResultBatch:
    return ResultBatch.objects.get(plan=plan)


def test_j_sd_taian_approval_sends_the_results_to_the_province_seed_004_s3_3(
    client, shandong, taian_plan
):
    decide(client, shandong["tai"], taian_plan, CITY_DECIDES, {"decision": "approve"})
    batch = batch_of(taian_plan)
    assert batch.status == BatchStatus.PROVINCE_REVIEW
    assert batch.city_approved_on == CITY_DECIDES and batch.approved_on is None
    # The province's clock: the review working days counted from the city's approval.
    assert batch.province_due_on == PROVINCE_DUE
    event = AuditEvent.objects.filter(action="result_city_approve").get()
    assert (event.from_status, event.to_status) == ("submitted", "province_review")
    # Everyone reads where it stands and when the province is due; only the province decides.
    for user in (shandong["owner"], shandong["tai"], shandong["shen"]):
        page = page_of(client, user, taian_plan, CITY_DECIDES)
        assert zh(BatchStatus.PROVINCE_REVIEW.label) in page
        assert "2026-12-14" in page
        assert ('name="decision"' in page) == (user == shandong["shen"]), user
    # The province's desk lists it with its due date; Tai'an's no longer does.
    client.force_login(shandong["shen"])
    with on(CITY_DECIDES):
        desk = client.get(reverse("dashboard")).context["assessment_todo"]["batches"]
    assert [(b.plan_id, b.province_due_on) for b in desk] == [(taian_plan.pk, PROVINCE_DUE)]
    client.force_login(shandong["tai"])
    with on(CITY_DECIDES):
        assert client.get(reverse("dashboard")).context["assessment_todo"]["batches"] == []
    # The province's list of result filings shows it.
    client.force_login(shandong["shen"])
    with on(CITY_DECIDES):
        listing = client.get(reverse("result_filing_list")).content.decode()
    assert taian_plan.title in listing


def test_j_sd_no_certificate_until_the_province_approves_seed_004_s3_3(
    client, shandong, taian_plan
):
    enterprise = shandong["enterprise"]
    prefix_for(enterprise, province_code="37")
    decide(client, shandong["tai"], taian_plan, CITY_DECIDES, {"decision": "approve"})
    batch = batch_of(taian_plan)
    assert issue_problems(batch, CITY_DECIDES, CITY_DECIDES)
    client.force_login(shandong["owner"])
    with on(CITY_DECIDES):
        assert client.get(reverse("certificate_issue", args=[taian_plan.pk])).status_code == 404
        desk = client.get(reverse("dashboard")).context["certificate_todo"]
    assert desk["to_issue"] == []

    text = decide(client, shandong["shen"], taian_plan, PROVINCE_DECIDES, {"decision": "approve"})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.APPROVED and batch.approved_on == PROVINCE_DECIDES
    assert AuditEvent.objects.filter(action="result_province_approve").count() == 1
    assert zh(BatchStatus.APPROVED.label) in text
    assert issue_problems(batch, PROVINCE_DECIDES, PROVINCE_DECIDES) == []
    client.force_login(shandong["owner"])
    with on(PROVINCE_DECIDES):
        assert client.get(reverse("certificate_issue", args=[taian_plan.pk])).status_code == 200


def test_j_sd_the_province_returns_the_results_to_the_enterprise_seed_004_s3_3(
    client, shandong, taian_plan
):
    decide(client, shandong["tai"], taian_plan, CITY_DECIDES, {"decision": "approve"})
    # A return says why.
    decide(client, shandong["shen"], taian_plan, PROVINCE_DECIDES, {"decision": "return"})
    assert batch_of(taian_plan).status == BatchStatus.PROVINCE_REVIEW
    decide(
        client,
        shandong["shen"],
        taian_plan,
        PROVINCE_DECIDES,
        {"decision": "return", "note": "第2名考生实操成绩与评分表不符"},
    )
    batch = batch_of(taian_plan)
    assert batch.status == BatchStatus.RETURNED
    assert batch.decision_note == "第2名考生实操成绩与评分表不符"
    assert services.results_editable(taian_plan)
    assert AuditEvent.objects.filter(action="result_province_return").count() == 1
    page = page_of(client, shandong["owner"], taian_plan, PROVINCE_DECIDES)
    assert "第2名考生实操成绩与评分表不符" in page
    # Corrected, the results go to the city again, then to the province again.
    with on(PROVINCE_DECIDES):
        services.result_submit(batch=batch, actor=shandong["owner"])
    assert batch_of(taian_plan).status == BatchStatus.SUBMITTED


def test_j_sd_the_city_cannot_decide_for_the_province_nor_the_province_before_the_city(
    client, shandong, taian_plan
):
    # Submitted: the province has nothing to decide yet.
    decide(client, shandong["shen"], taian_plan, CITY_DECIDES, {"decision": "approve"})
    assert batch_of(taian_plan).status == BatchStatus.SUBMITTED
    decide(client, shandong["tai"], taian_plan, CITY_DECIDES, {"decision": "approve"})
    # Waiting for the province: the city's second approval changes nothing.
    decide(client, shandong["tai"], taian_plan, CITY_DECIDES, {"decision": "approve"})
    batch = batch_of(taian_plan)
    assert batch.status == BatchStatus.PROVINCE_REVIEW and batch.approved_on is None


def test_j_sd_another_provinces_reviewer_gets_404_seed_004_s3_3(client, shandong, taian_plan):
    decide(client, shandong["tai"], taian_plan, CITY_DECIDES, {"decision": "approve"})
    client.force_login(shandong["zhe"])
    assert client.get(reverse("result_batch", args=[taian_plan.pk])).status_code == 404
    response = client.post(reverse("result_decide", args=[taian_plan.pk]), {"decision": "approve"})
    assert response.status_code == 404
    assert taian_plan.title not in client.get(reverse("result_filing_list")).content.decode()
    assert batch_of(taian_plan).status == BatchStatus.PROVINCE_REVIEW


def test_j_sz_shenzhen_results_need_no_provincial_review(client, world, carl, alice, ent_a):
    """No `results_province_review` in Guangdong: the city's approval is final, as before."""
    plan = acknowledged_plan(ent_a)
    with_results(plan, "passed")
    publicised_batch(plan, status="submitted", submitted_on=SUBMITTED)
    decide(client, carl, plan, CITY_DECIDES, {"decision": "approve"})
    batch = batch_of(plan)
    assert batch.status == BatchStatus.APPROVED and batch.approved_on == CITY_DECIDES
    assert batch.city_approved_on is None and batch.province_due_on is None
    guangdong = make_member("yue", "province", bureau=world["province"])
    client.force_login(guangdong)
    page = client.get(reverse("result_batch", args=[plan.pk])).content.decode()
    assert 'name="decision"' not in page


def test_j_sd_the_province_clock_is_counted_again_once_the_calendar_exists(shandong, taian_plan):
    batch = batch_of(taian_plan)
    ResultBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.PROVINCE_REVIEW, city_approved_on=CITY_DECIDES, province_due_on=None
    )
    assert services.result_deadlines_recount() >= 1
    assert batch_of(taian_plan).province_due_on == PROVINCE_DUE


def test_j_sd_the_province_is_reminded_of_its_review_clock_seed_004_s3_3(shandong, taian_plan):
    from supervision.reminders import rules

    batch = batch_of(taian_plan)
    ResultBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.PROVINCE_REVIEW,
        city_approved_on=CITY_DECIDES,
        province_due_on=PROVINCE_DUE,
    )

    def found(day):
        return {
            due.subject_key: sorted(u.username for u in due.recipients)
            for due in rules.province_result_review(day)
        }

    # Four working days before: not yet; three: the province's reviewer, not another's.
    assert found(dt.date(2026, 12, 8)) == {}
    nearing = f"batch:{batch.pk}:province:2026-12-14:3wd"
    assert found(dt.date(2026, 12, 9)) == {nearing: ["shen"]}
    assert found(dt.date(2026, 12, 15)) == {
        f"batch:{batch.pk}:province:2026-12-14:overdue": ["shen"]
    }
