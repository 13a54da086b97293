"""Each step of an evaluation scheme (R-S5), an implementation plan and its roster (R-P1 … R-P5),
its results (R-R1, R-R2, seed 004 §三(三)), the certificates (R-K1 … R-K5) and an entrusted
evaluation agreement (seed 004 §一(二)) tells whoever acts next or should know, once in the
inbox and once by e-mail; the person who took the step, another enterprise, another district and
another city hear nothing."""

import datetime as dt
from unittest import mock

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from assessments.agreements import services as agreement_services
from assessments.models import (
    AssessmentSession,
    EvaluationScheme,
    Examiner,
    ExaminerScope,
    ImplementationPlan,
    ResultBatch,
    RosterEntry,
    SchemeReview,
    SessionInvigilator,
)
from assessments.plans import services as plan_services
from assessments.results import services as result_services
from assessments.rosters import retention
from assessments.rosters import services as roster_services
from certificates.issuance import services as issuance_services
from certificates.revocation import services as revocation_services
from portal.core.models import Role
from portal.core.presets import apply_preset
from tests.assessments.agreements.factories import agreement_for
from tests.assessments.factories import PlanFactory, approved_scheme, hand_roster, row_values
from tests.assessments.results.factories import acknowledged_plan, publicised_batch, with_results
from tests.assessments.schemes.factories import complete_scheme, filed_line
from tests.certificates.factories import ISSUED_ON, approved_batch, issued_batch, prefix_for
from tests.supervision.notifications.notices import (
    assert_link_opens,
    assert_told_once,
    kind_of,
    step,
)
from tests.support.factories import BureauFactory, EnterpriseFactory, make_member

SCHEME = "assessments.evaluationscheme"
PLAN = "assessments.implementationplan"
RESULTS = "assessments.resultbatch"
CERTIFICATE = "certificates.certificate"
AGREEMENT = "assessments.entrustedagreement"
A = "南山精密机械有限公司"


def on(day: dt.date):
    return mock.patch("django.utils.timezone.localdate", return_value=day)


@pytest.fixture
def everyone(alice, amy, bob, dora, fred, carl, cora, olga, erin, sam):
    return locals()


# Evaluation schemes (R-S5) -------------------------------------------------------------------


def fresh_scheme(scheme) -> EvaluationScheme:
    return EvaluationScheme.objects.get(pk=scheme.pk)


@pytest.fixture
def scheme(ent_a, everyone):
    return complete_scheme(ent_a, scope_line=filed_line(ent_a))


@pytest.fixture
def submitted_scheme(scheme, alice):
    from assessments.schemes import services

    services.scheme_submit(scheme=scheme, actor=alice)
    return fresh_scheme(scheme)


@pytest.fixture
def scheme_in_review(submitted_scheme, carl, erin):
    from assessments.schemes import services

    services.scheme_assign_experts(scheme=submitted_scheme, actor=carl, experts=[erin])
    return fresh_scheme(submitted_scheme)


def scheme_url(scheme) -> str:
    return reverse("scheme_detail", kwargs={"pk": scheme.pk})


def test_scheme_submitted_tells_the_city_reviewers_once(
    client, scheme, alice, amy, bob, dora, fred, carl, cora, olga
):
    from assessments.schemes import services

    with step(kind_of(SCHEME, "scheme_submit")) as record:
        services.scheme_submit(scheme=scheme, actor=alice)
    assert_told_once(
        record,
        [carl, cora],
        untold=[alice, amy, bob, dora, fred, olga],
        title=A,
        url=scheme_url(scheme),
    )
    assert_link_opens(client, record, [carl, cora])


def test_scheme_experts_sent_tells_each_expert_once(
    client, submitted_scheme, alice, carl, cora, erin, olga, world
):
    from assessments.schemes import services

    ethan = make_member("ethan", Role.EXPERT, bureau=world["city"])
    with step(kind_of(SCHEME, "scheme_assign_experts")) as record:
        services.scheme_assign_experts(scheme=submitted_scheme, actor=carl, experts=[erin])
    assert_told_once(record, [erin], untold=[carl, cora, alice, ethan, olga], title=A)
    assert_link_opens(client, record, [erin])
    with step(kind_of(SCHEME, "scheme_assign_experts")) as again:
        services.scheme_assign_experts(scheme=submitted_scheme, actor=carl, experts=[ethan])
    assert_told_once(again, [ethan], untold=[erin, carl, alice])


def test_scheme_expert_opinion_tells_the_city_reviewers_once(
    client, scheme_in_review, alice, carl, cora, erin, olga
):
    from assessments.schemes import services

    review = SchemeReview.objects.get(scheme=scheme_in_review, expert=erin)
    with step(kind_of(SCHEME, "scheme_expert_opinion")) as record:
        services.scheme_expert_opinion(
            review=review, actor=erin, score=88, recommendation="approve", opinion="同意。"
        )
    assert_told_once(record, [carl, cora], untold=[erin, alice, olga], title=A)
    assert_link_opens(client, record, [carl, cora])


def test_an_expert_sent_again_to_the_corrected_scheme_is_told_again(
    scheme_in_review, alice, carl, erin
):
    from assessments.schemes import services

    services.scheme_return(scheme=scheme_in_review, actor=carl, reason="请补充安全考核。")
    services.scheme_submit(scheme=fresh_scheme(scheme_in_review), actor=alice)
    with step(kind_of(SCHEME, "scheme_assign_experts")) as record:
        services.scheme_assign_experts(
            scheme=fresh_scheme(scheme_in_review), actor=carl, experts=[erin]
        )
    assert_told_once(record, [erin], untold=[carl, alice])


@pytest.mark.parametrize("decision", ["scheme_approve", "scheme_return"])
def test_scheme_decided_tells_the_enterprise_operators_once(
    client, scheme_in_review, alice, amy, bob, dora, carl, cora, erin, olga, decision
):
    from assessments.schemes import services

    review = SchemeReview.objects.get(scheme=scheme_in_review, expert=erin)
    services.scheme_expert_opinion(
        review=review, actor=erin, score=88, recommendation="approve", opinion="同意。"
    )
    scheme = fresh_scheme(scheme_in_review)
    with step(kind_of(SCHEME, decision)) as record:
        if decision == "scheme_approve":
            services.scheme_approve(scheme=scheme, actor=carl, note="同意备案。")
        else:
            services.scheme_return(scheme=scheme, actor=carl, reason="请补充安全考核。")
    assert_told_once(
        record,
        [alice, amy],
        untold=[carl, cora, erin, bob, dora, olga],
        title=scheme.scope_line.occupation.name,
        url=scheme_url(scheme),
    )
    assert_link_opens(client, record, [alice, amy])


# Implementation plans and rosters (R-P1 … R-P5) -----------------------------------------------

PLAN_SUBMITTED_ON = dt.date(2026, 11, 2)


def plan_ready(enterprise) -> ImplementationPlan:
    """A draft plan that may be submitted on 2026-11-02 (the session is on 2026-12-15)."""
    scheme = approved_scheme(enterprise)
    plan = plan_services.plan_create(
        enterprise=enterprise,
        actor=None,
        scheme=scheme,
        data={"title": "2026年第一期车工认定", "levels": [5, 4], "application_conditions": ""},
    )
    session = AssessmentSession.objects.create(
        plan=plan,
        date=dt.date(2026, 12, 15),
        starts_at=dt.time(9),
        ends_at=dt.time(11),
        site="实训楼",
    )
    SessionInvigilator.objects.create(session=session, name="监考员甲", organisation="培训中心")
    occupation = scheme.scope_line.occupation
    for n in range(3):
        examiner = Examiner.objects.create(
            enterprise=enterprise, name=f"考评员{n}", id_number=f"1101011980010{n:04d}"[:18]
        )
        ExaminerScope.objects.create(examiner=examiner, occupation=occupation, highest_level=3)
        plan.examiners.add(examiner)
    plan.supervisors.add(
        Examiner.objects.create(
            enterprise=enterprise, name="督导员", role="supervisor", id_number="110101198001019999"
        )
    )
    RosterEntry.objects.create(
        plan=plan,
        seq=1,
        name="张三",
        id_number="11010519900307002X",
        sex="女",
        birth_date=dt.date(1990, 3, 7),
        phone="13800138000",
        occupation_code=occupation.code,
        occupation_name=occupation.name,
        level=4,
    )
    return plan


def submit_plan(plan, actor) -> ImplementationPlan:
    with mock.patch("assessments.plans.services._today", return_value=PLAN_SUBMITTED_ON):
        plan_services.plan_submit(plan=plan, actor=actor)
    return ImplementationPlan.objects.get(pk=plan.pk)


def plan_url(plan) -> str:
    return reverse("plan_detail", kwargs={"pk": plan.pk})


def test_plan_submitted_tells_the_city_reviewers_once(
    client, ent_a, alice, amy, bob, dora, fred, carl, cora, olga
):
    plan = plan_ready(ent_a)
    with step(kind_of(PLAN, "plan_submit")) as record:
        submit_plan(plan, alice)
    assert_told_once(
        record,
        [carl, cora],
        untold=[alice, amy, bob, dora, fred, olga],
        title=plan.title,
        url=plan_url(plan),
    )
    assert A in record.notes_of(carl)[0].title
    assert_link_opens(client, record, [carl, cora])


def test_plan_acknowledged_tells_the_enterprise_operators_and_its_district_once(
    client, ent_a, alice, amy, bob, dora, fred, carl, cora, olga
):
    plan = submit_plan(plan_ready(ent_a), alice)
    with step(kind_of(PLAN, "plan_acknowledge")) as record:
        plan_services.plan_acknowledge(plan=plan, actor=carl, note="收悉")
    assert_told_once(
        record,
        [alice, amy, dora],
        untold=[carl, cora, bob, fred, olga],
        title=plan.title,
        url=plan_url(plan),
    )
    assert A in record.notes_of(dora)[0].title
    assert_link_opens(client, record, [alice, amy, dora])


def test_plan_of_a_city_administered_enterprise_does_not_tell_its_district(
    client, ent_a, alice, amy, bob, dora, fred, carl, cora, olga
):
    """R-F5: a 市属 enterprise works with the city centre directly; its district has no part."""
    ent_a.administration_level = "city"
    ent_a.save(update_fields=["administration_level"])
    plan = submit_plan(plan_ready(ent_a), alice)
    with step(kind_of(PLAN, "plan_acknowledge")) as record:
        plan_services.plan_acknowledge(plan=plan, actor=carl, note="收悉")
    assert_told_once(
        record,
        [alice, amy],
        untold=[dora, fred, carl, cora, bob, olga],
        title=plan.title,
        url=plan_url(plan),
    )


def test_plan_returned_tells_the_enterprise_operators_once(
    client, ent_a, alice, amy, bob, dora, carl, cora, olga
):
    plan = submit_plan(plan_ready(ent_a), alice)
    with step(kind_of(PLAN, "plan_return")) as record:
        plan_services.plan_return(plan=plan, actor=carl, reason="请补充考场安排。")
    assert_told_once(record, [alice, amy], untold=[carl, cora, bob, dora, olga], title=plan.title)
    assert record.notes_of(alice)[0].body == "请补充考场安排。"
    assert_link_opens(client, record, [alice, amy])


def test_roster_imported_tells_its_uploader_only_once(client, ent_a, alice, amy, bob, dora, carl):
    plan = PlanFactory(enterprise=ent_a, levels=[5, 4])
    with step(kind_of(PLAN, "roster_import")) as record:
        roster_services.roster_import(
            plan=plan, actor=alice, data=hand_roster([row_values(1)]), filename="名册.xlsx"
        )
    assert_told_once(
        record,
        [alice],
        untold=[amy, bob, dora, carl],
        title=plan.title,
        url=reverse("roster_detail", kwargs={"pk": plan.pk}),
    )
    assert_link_opens(client, record, [alice])


def test_roster_expired_tells_the_enterprise_operators_once(
    client, ent_a, alice, amy, bob, dora, carl
):
    plan = PlanFactory(enterprise=ent_a, levels=[5, 4])
    roster_services.roster_import(
        plan=plan, actor=alice, data=hand_roster([row_values(1)]), filename="名册.xlsx"
    )
    with step(kind_of(PLAN, "roster_expired")) as record:
        removed = retention.expire_unsubmitted_rosters(timezone.now() + dt.timedelta(days=1))
    assert removed == 1
    assert_told_once(record, [alice, amy], untold=[bob, dora, carl], title=plan.title)
    assert_link_opens(client, record, [alice, amy])


# Results (R-R1, R-R2) ------------------------------------------------------------------------

MONDAY = dt.date(2026, 11, 2)


def results_url(batch) -> str:
    return reverse("result_batch", kwargs={"pk": batch.plan_id})


@pytest.fixture
def results_plan(ent_a, everyone):
    plan = acknowledged_plan(ent_a)
    with_results(plan, "passed", "passed", "failed")
    return plan


def test_results_publicised_tell_the_district_and_the_city_once(
    client, results_plan, alice, amy, bob, dora, fred, carl, cora, olga
):
    with step(kind_of(RESULTS, "result_publish")) as record, on(MONDAY):
        batch = result_services.result_publish(plan=results_plan, actor=alice)
    assert_told_once(
        record,
        [dora, carl, cora],
        untold=[alice, amy, bob, fred, olga],
        title=results_plan.title,
        url=results_url(batch),
    )
    assert "2026-11-09" in record.notes_of(dora)[0].body
    assert_link_opens(client, record, [dora, carl])


def test_an_objection_during_publicity_tells_the_city_reviewers_once(
    client, results_plan, alice, amy, bob, dora, fred, carl, cora, olga
):
    with on(MONDAY):
        batch = result_services.result_publish(plan=results_plan, actor=alice)
        with step(kind_of(RESULTS, "objection_record")) as record:
            result_services.objection_record(
                batch=batch, actor=alice, raised_by="考生家属", content="对理论成绩有异议"
            )
    assert_told_once(
        record,
        [carl, cora],
        untold=[alice, amy, bob, dora, fred, olga],
        title=results_plan.title,
        url=results_url(batch),
    )
    assert "对理论成绩有异议" not in record.notes_of(carl)[0].title
    assert_link_opens(client, record, [carl, cora])


def test_results_filed_tell_the_city_reviewers_once(
    client, results_plan, alice, amy, bob, dora, carl, cora, olga
):
    batch = publicised_batch(results_plan)
    with step(kind_of(RESULTS, "result_submit")) as record, on(dt.date(2026, 11, 12)):
        result_services.result_submit(batch=batch, actor=alice)
    assert_told_once(
        record, [carl, cora], untold=[alice, amy, bob, dora, olga], title=results_plan.title
    )
    assert_link_opens(client, record, [carl, cora])


@pytest.mark.parametrize("decision", ["result_approve", "result_return"])
def test_results_decided_by_the_city_tell_the_enterprise_operators_once(
    client, results_plan, alice, amy, bob, dora, carl, cora, olga, decision
):
    batch = publicised_batch(results_plan, status="submitted", submitted_on=dt.date(2026, 11, 12))
    with step(kind_of(RESULTS, decision)) as record, on(dt.date(2026, 11, 16)):
        if decision == "result_approve":
            result_services.result_approve(batch=batch, actor=carl, note="同意")
        else:
            result_services.result_return(batch=batch, actor=carl, reason="成绩登记有误")
    assert_told_once(
        record,
        [alice, amy],
        untold=[carl, cora, bob, dora, olga],
        title=results_plan.title,
        url=results_url(batch),
    )
    assert_link_opens(client, record, [alice, amy])


@pytest.fixture
def shandong(db):
    """山东省 (results reviewed by the province after the city) → 泰安市 → 泰山区."""
    province = BureauFactory(code="37", name="山东省", level="province")
    apply_preset(province, "shandong")
    taian = BureauFactory(code="3709", name="泰安市", level="city", parent=province)
    taishan = BureauFactory(code="370902", name="泰山区", level="district", parent=taian)
    zhejiang = BureauFactory(code="33", name="浙江省", level="province")
    enterprise = EnterpriseFactory(name="泰安泰山钢铁有限公司", district=taishan)
    plan = acknowledged_plan(enterprise)
    with_results(plan, "passed")
    batch = publicised_batch(plan, status="submitted", submitted_on=dt.date(2026, 11, 12))
    return {
        "batch": batch,
        "owner": make_member("ta-operator", "enterprise", enterprise=enterprise),
        "tai": make_member("tai", "city", bureau=taian),
        "shen": make_member("shen", "province", bureau=province),
        "zhe": make_member("zhe", "province", bureau=zhejiang),
    }


def test_results_approved_by_the_city_tell_the_province_and_the_enterprise_once(
    client, shandong, carl, olga
):
    people = shandong
    with step(kind_of(RESULTS, "result_city_approve")) as record, on(dt.date(2026, 11, 16)):
        result_services.result_approve(batch=people["batch"], actor=people["tai"])
    assert_told_once(
        record,
        [people["owner"], people["shen"]],
        untold=[people["tai"], people["zhe"], carl, olga],
        url=results_url(people["batch"]),
    )
    assert_link_opens(client, record, [people["owner"], people["shen"]])


@pytest.mark.parametrize("decision", ["result_province_approve", "result_province_return"])
def test_results_decided_by_the_province_tell_the_enterprise_and_the_city_once(
    client, shandong, decision
):
    people = shandong
    with on(dt.date(2026, 11, 16)):
        result_services.result_approve(batch=people["batch"], actor=people["tai"])
    batch = ResultBatch.objects.get(pk=people["batch"].pk)
    with step(kind_of(RESULTS, decision)) as record, on(dt.date(2026, 11, 20)):
        if decision == "result_province_approve":
            result_services.result_province_approve(batch=batch, actor=people["shen"])
        else:
            result_services.result_province_return(
                batch=batch, actor=people["shen"], reason="成绩复核"
            )
    assert_told_once(
        record, [people["owner"], people["tai"]], untold=[people["shen"], people["zhe"]]
    )
    assert_link_opens(client, record, [people["owner"], people["tai"]])


# Certificates (R-K1 … R-K5) ------------------------------------------------------------------

CERTIFICATES_TODAY = dt.date(2026, 11, 22)


def test_certificates_issued_tell_the_other_operators_and_the_city_once(
    client, ent_a, alice, amy, bob, dora, carl, cora, olga
):
    prefix_for(ent_a)
    batch = approved_batch(ent_a, "passed", "passed")
    with step(kind_of(RESULTS, "certificates_issued")) as record, on(CERTIFICATES_TODAY):
        issuance_services.issue_certificates(result_batch=batch, actor=alice, issued_on=ISSUED_ON)
    assert_told_once(
        record,
        [amy, carl, cora],
        untold=[alice, bob, dora, olga],
        title=batch.plan.title,
        url=results_url(batch),
    )
    assert_link_opens(client, record, [amy, carl])


@pytest.fixture
def certificate(ent_a, everyone):
    with on(CERTIFICATES_TODAY), TestCase.captureOnCommitCallbacks(execute=False):
        batch = issued_batch(ent_a, everyone["alice"], "passed", "passed")
    return batch.certificates.order_by("position").first()


def test_certificate_revoked_tells_the_enterprise_operators_and_the_city_once(
    client, certificate, alice, amy, bob, dora, carl, cora, olga
):
    with step(kind_of(CERTIFICATE, "certificate_revoked")) as record, on(CERTIFICATES_TODAY):
        revocation_services.certificate_revoke(
            certificate=certificate, actor=carl, reason="弄虚作假取得证书"
        )
    assert_told_once(
        record,
        [alice, amy, cora],
        untold=[carl, bob, dora, olga],
        title=certificate.number,
        url=reverse("certificate_detail", kwargs={"pk": certificate.pk}),
    )
    assert certificate.holder_name in record.notes_of(alice)[0].title
    assert_link_opens(client, record, [alice, amy, cora])


@pytest.mark.parametrize(
    ("kind", "action"),
    [("reissue", "certificate_reissue"), ("correction", "certificate_correction")],
)
def test_certificate_replaced_tells_the_other_operators_and_the_city_once(
    client, certificate, alice, amy, bob, dora, carl, cora, olga, kind, action
):
    corrections = {"holder_name": "张三丰"} if kind == "correction" else None
    with step(kind_of(CERTIFICATE, action)) as record, on(CERTIFICATES_TODAY):
        revocation_services.certificate_replace(
            certificate=certificate,
            actor=alice,
            kind=kind,
            reason="证书遗失" if kind == "reissue" else "姓名有误",
            corrections=corrections,
        )
    assert_told_once(
        record, [amy, carl, cora], untold=[alice, bob, dora, olga], title=certificate.number
    )
    assert_link_opens(client, record, [amy, carl, cora])


# Entrusted evaluation agreements (seed 004 §一(二)) --------------------------------------------


@pytest.fixture
def paul(world):
    """The operator of a client enterprise of 顺德 (佛山)."""
    enterprise = EnterpriseFactory(name="顺德家电制造有限公司", district=world["shunde"])
    return make_member("paul", Role.ENTERPRISE, enterprise=enterprise)


@pytest.fixture
def otto(world):
    return make_member("otto", Role.CITY, bureau=world["other_city"])


def agreement_url(agreement) -> str:
    return reverse("agreement_detail", kwargs={"pk": agreement.pk})


def draft_agreement(ent_a, client_enterprise, alice):
    return agreement_for(ent_a, client_enterprise, status="draft", uploaded_by=alice)


def refreshed(agreement):
    agreement.refresh_from_db()
    return agreement


def test_agreement_submitted_tells_the_client_operators_once(
    client, ent_a, alice, amy, bob, paul, carl, olga, everyone
):
    agreement = draft_agreement(ent_a, paul.membership.enterprise, alice)
    with step(kind_of(AGREEMENT, "submit")) as record:
        agreement_services.agreement_submit(agreement=agreement, actor=alice)
    assert_told_once(
        record,
        [paul],
        untold=[alice, amy, bob, carl, olga],
        title=A,
        url=agreement_url(agreement),
    )
    assert_link_opens(client, record, [paul])


def test_agreement_confirmed_tells_the_evaluator_and_both_bureaus_once(
    client, ent_a, alice, amy, bob, paul, carl, cora, olga, otto, dora
):
    agreement = draft_agreement(ent_a, paul.membership.enterprise, alice)
    agreement_services.agreement_submit(agreement=agreement, actor=alice)
    with step(kind_of(AGREEMENT, "confirm")) as record:
        agreement_services.agreement_confirm(agreement=refreshed(agreement), actor=paul)
    assert_told_once(
        record,
        [alice, amy, carl, cora, olga, otto],
        untold=[paul, bob, dora],
        url=agreement_url(agreement),
    )
    assert_link_opens(client, record, [alice, carl, olga])


def test_agreement_approved_by_the_last_bureau_tells_both_parties_once(
    client, world, ent_a, alice, amy, bob, paul, carl, olga, otto
):
    agreement = draft_agreement(ent_a, paul.membership.enterprise, alice)
    agreement_services.agreement_submit(agreement=agreement, actor=alice)
    agreement_services.agreement_confirm(agreement=refreshed(agreement), actor=paul)
    agreement = refreshed(agreement)
    agreement_services.agreement_approve(
        agreement=agreement, actor=carl, bureau=agreement.evaluator_bureau
    )
    with step(kind_of(AGREEMENT, "approve")) as record:
        agreement_services.agreement_approve(
            agreement=refreshed(agreement), actor=olga, bureau=agreement.client_bureau
        )
    assert_told_once(record, [alice, amy, paul], untold=[olga, otto, carl, bob], title=A)
    assert_link_opens(client, record, [alice, paul])


def test_agreement_returned_by_a_bureau_tells_both_parties_once(
    client, ent_a, alice, amy, bob, paul, carl, olga
):
    agreement = draft_agreement(ent_a, paul.membership.enterprise, alice)
    agreement_services.agreement_submit(agreement=agreement, actor=alice)
    agreement_services.agreement_confirm(agreement=refreshed(agreement), actor=paul)
    agreement = refreshed(agreement)
    with step(kind_of(AGREEMENT, "return")) as record:
        agreement_services.agreement_return(
            agreement=agreement,
            actor=carl,
            reason="协议期限不符",
            bureau=agreement.evaluator_bureau,
        )
    assert_told_once(record, [alice, amy, paul], untold=[carl, olga, bob])
    assert record.notes_of(alice)[0].body == "协议期限不符"
    assert_link_opens(client, record, [alice, paul])


def test_agreement_returned_by_the_client_tells_the_evaluator_operators_once(
    ent_a, alice, amy, paul, carl, olga
):
    agreement = draft_agreement(ent_a, paul.membership.enterprise, alice)
    agreement_services.agreement_submit(agreement=agreement, actor=alice)
    with step(kind_of(AGREEMENT, "return")) as record:
        agreement_services.agreement_return(
            agreement=refreshed(agreement), actor=paul, reason="等级不符"
        )
    assert_told_once(record, [alice, amy], untold=[paul, carl, olga])


def test_agreement_withdrawn_tells_the_client_operators_once(
    client, ent_a, alice, amy, bob, paul, carl
):
    agreement = draft_agreement(ent_a, paul.membership.enterprise, alice)
    agreement_services.agreement_submit(agreement=agreement, actor=alice)
    with step(kind_of(AGREEMENT, "withdraw")) as record:
        agreement_services.agreement_withdraw(agreement=refreshed(agreement), actor=alice)
    assert_told_once(record, [paul], untold=[alice, amy, bob, carl], title=A)
    assert_link_opens(client, record, [paul])


def test_agreement_returned_by_the_client_after_an_earlier_confirmation_tells_the_evaluator_only(
    ent_a, alice, amy, paul, carl
):
    pia = make_member("pia", Role.ENTERPRISE, enterprise=paul.membership.enterprise)
    agreement = draft_agreement(ent_a, paul.membership.enterprise, alice)
    agreement_services.agreement_submit(agreement=agreement, actor=alice)
    agreement_services.agreement_confirm(agreement=refreshed(agreement), actor=paul)
    agreement = refreshed(agreement)
    agreement_services.agreement_return(
        agreement=agreement, actor=carl, reason="协议期限不符", bureau=agreement.evaluator_bureau
    )
    agreement_services.agreement_submit(agreement=refreshed(agreement), actor=alice)
    with step(kind_of(AGREEMENT, "return")) as record:
        agreement_services.agreement_return(
            agreement=refreshed(agreement), actor=paul, reason="等级不符"
        )
    assert_told_once(record, [alice, amy], untold=[paul, pia, carl])
