"""Implementation plans: R-P1 contents, R-P2 lead time, R-P4 levels, the city's decision."""

import datetime as dt
from unittest import mock

import pytest

from assessments.models import (
    AssessmentSession,
    EvaluationScheme,
    Examiner,
    ExaminerScope,
    PlanStatus,
    RosterEntry,
    SessionInvigilator,
)
from assessments.plans import services
from portal.core.errors import ServiceError
from tests.assessments.factories import approved_scheme


@pytest.fixture
def scheme(ent_a):
    return approved_scheme(ent_a)


def _plan(scheme, alice, **data):
    return services.plan_create(
        enterprise=scheme.enterprise,
        actor=alice,
        scheme=scheme,
        data={
            "title": "2026年第一期车工认定",
            "levels": [5, 4],
            "application_conditions": "",
            **data,
        },
    )


def _staffed(plan, *, first_session: dt.date):
    session = AssessmentSession.objects.create(
        plan=plan, date=first_session, starts_at=dt.time(9), ends_at=dt.time(11), site="实训楼"
    )
    # Seed 004 §三(一): each session names its invigilators.
    SessionInvigilator.objects.create(session=session, name="监考员甲", organisation="培训中心")
    occupation = plan.scheme.scope_line.occupation
    for n in range(3):
        examiner = Examiner.objects.create(
            enterprise=plan.enterprise, name=f"考评员{n}", id_number=f"1101011980010{n:04d}"[:18]
        )
        ExaminerScope.objects.create(examiner=examiner, occupation=occupation, highest_level=3)
        plan.examiners.add(examiner)
    plan.supervisors.add(
        Examiner.objects.create(
            enterprise=plan.enterprise,
            name="督导员",
            role="supervisor",
            id_number="110101198001019999",
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


def test_r_s5_a_plan_uses_only_an_approved_scheme(scheme, alice):
    EvaluationScheme.objects.filter(pk=scheme.pk).update(status="submitted")
    scheme.refresh_from_db()
    with pytest.raises(ServiceError, match="已通过的评价方案"):
        _plan(scheme, alice)


def test_r_p4_plan_levels_inside_the_scheme(scheme, alice):
    with pytest.raises(ServiceError, match="2"):
        _plan(scheme, alice, levels=[4, 2])


def test_r_p2_lead_time_names_the_earliest_session_date(scheme, alice):
    # Submitted on Monday 2026-11-02: 10 working days later is Monday 2026-11-16.
    plan = _staffed(_plan(scheme, alice), first_session=dt.date(2026, 11, 13))
    problem = services.lead_time_problem(plan, dt.date(2026, 11, 2))
    assert problem.rule == "R-P2"
    assert "2026-11-16" in problem.message
    assert "2026-11-13" in problem.message


def test_r_p2_exactly_ten_working_days_is_accepted(scheme, alice):
    plan = _staffed(_plan(scheme, alice), first_session=dt.date(2026, 11, 16))
    assert services.lead_time_problem(plan, dt.date(2026, 11, 2)) is None


def test_r_p2_counts_working_days_across_national_day(scheme, alice):
    # From Monday 2026-09-28: 09-29, 09-30, then 10-01…10-07 are off; 10-08, 10-09, the make-up
    # Saturday 10-10, 10-12 … 10-16 bring the count to ten.
    plan = _staffed(_plan(scheme, alice), first_session=dt.date(2026, 10, 14))
    problem = services.lead_time_problem(plan, dt.date(2026, 9, 28))
    assert problem is not None and "2026-10-16" in problem.message


def test_plan_submit_acknowledge_and_history(scheme, alice, carl):
    plan = _staffed(_plan(scheme, alice), first_session=dt.date(2026, 12, 15))
    with mock.patch("assessments.plans.services._today", return_value=dt.date(2026, 11, 2)):
        services.plan_submit(plan=plan, actor=alice)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.submitted_on == dt.date(2026, 11, 2)
    services.plan_acknowledge(plan=plan, actor=carl, note="收悉")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACKNOWLEDGED
    from portal.core.audit import audit_events_for

    assert [e.action for e in audit_events_for(plan)][-2:] == ["plan_submit", "plan_acknowledge"]


def test_r_p2_late_plan_is_refused_with_the_reason(scheme, alice):
    plan = _staffed(_plan(scheme, alice), first_session=dt.date(2026, 11, 10))
    with (
        mock.patch("assessments.plans.services._today", return_value=dt.date(2026, 11, 2)),
        pytest.raises(ServiceError) as refused,
    ):
        services.plan_submit(plan=plan, actor=alice)
    assert any(p.rule == "R-P2" for p in refused.value.problems)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_plan_pages_are_scoped(scheme, alice, bob, dora, fred, carl, client):
    plan = _plan(scheme, alice)
    client.force_login(alice)
    assert client.get(f"/plans/{plan.pk}/").status_code == 200
    for outsider in (bob, dora, carl):  # a draft stays with its enterprise
        client.force_login(outsider)
        assert client.get(f"/plans/{plan.pk}/").status_code == 404
    plan.status = "submitted"
    plan.save(update_fields=["status"])
    for reviewer in (dora, carl):
        client.force_login(reviewer)
        assert client.get(f"/plans/{plan.pk}/").status_code == 200
    client.force_login(fred)
    assert client.get(f"/plans/{plan.pk}/").status_code == 404
