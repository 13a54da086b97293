"""Seed 004 §三(一): the implementation plan states its invigilators (监考人员), per session, from
the examiner register or by name with unit, title and phone; shown on the plan page and checked
at submission."""

import datetime as dt

import pytest

from assessments.models import AssessmentSession, Examiner, SessionInvigilator
from assessments.plans import services
from portal.core.errors import ServiceError
from tests.assessments.factories import approved_scheme


@pytest.fixture
def plan(ent_a, alice):
    scheme = approved_scheme(ent_a)
    return services.plan_create(
        enterprise=ent_a,
        actor=alice,
        scheme=scheme,
        data={"title": "2026年第二期车工认定", "levels": [5, 4], "application_conditions": ""},
    )


def _session(plan, *, start=9, end=11, site="实训中心A栋", room="理论考场1"):
    return AssessmentSession.objects.create(
        plan=plan,
        date=dt.date(2026, 12, 15),
        starts_at=dt.time(start),
        ends_at=dt.time(end),
        site=site,
        room=room,
    )


def test_seed004_s3_1_a_session_without_invigilator_is_refused_at_submission_naming_it(plan, alice):
    _session(plan)
    problems = [p.message for p in services.plan_problems(plan, dt.date(2026, 11, 2))]
    assert "请为2026-12-15 09:00–11:00 实训中心A栋 理论考场1场次安排至少一名监考人员。" in problems


def test_seed004_s3_1_the_plan_page_names_an_invigilator_typed_in_and_shows_it(client, plan, alice):
    session = _session(plan)
    client.force_login(alice)
    response = client.post(
        f"/plans/{plan.pk}/invigilators/new/",
        {
            "session": session.pk,
            "name": "周明",
            "organisation": "培训中心 主管",
            "phone": "139 1234 5678",
        },
        follow=True,
    )
    assert "已将周明安排为监考人员。" in response.text
    invigilator = SessionInvigilator.objects.get(session=session)
    assert (invigilator.name, invigilator.phone) == ("周明", "13912345678")
    page = client.get(f"/plans/{plan.pk}/").text
    assert "周明（培训中心 主管） 13912345678" in page
    problems = [p.message for p in services.plan_problems(plan, dt.date(2026, 11, 2))]
    assert not any("监考人员" in message for message in problems)


def test_seed004_s3_1_an_invigilator_from_the_examiner_register_takes_its_name(
    client, plan, alice, ent_a
):
    session = _session(plan)
    examiner = Examiner.objects.create(
        enterprise=ent_a, name="赵丽", id_number="110101198001010011", qualification="高级考评员"
    )
    client.force_login(alice)
    form = client.get(f"/plans/{plan.pk}/invigilators/new/").text
    assert "赵丽（高级考评员）" in form
    client.post(
        f"/plans/{plan.pk}/invigilators/new/", {"session": session.pk, "examiner": examiner.pk}
    )
    invigilator = SessionInvigilator.objects.get(session=session)
    assert invigilator.examiner == examiner and invigilator.name == "赵丽"
    assert "110101198001010011" not in client.get(f"/plans/{plan.pk}/").text


def test_seed004_s3_1_an_invigilator_needs_a_name_and_the_form_keeps_the_input(client, plan, alice):
    session = _session(plan)
    client.force_login(alice)
    page = client.post(
        f"/plans/{plan.pk}/invigilators/new/",
        {"session": session.pk, "organisation": "质检部", "phone": "12ab"},
    ).text
    assert "请从考评人员名册中选择监考人员，或填写“监考人员姓名”。" in page
    assert "“监考人员电话”应为手机号码（11位）或带区号的固定电话。" in page
    assert 'value="质检部"' in page
    assert not SessionInvigilator.objects.exists()


def test_seed004_s3_1_one_person_cannot_invigilate_two_overlapping_sessions(plan, alice):
    morning = _session(plan)
    practical = _session(plan, start=10, end=12, site="实训中心B栋", room="数控车间")
    services.invigilator_add(
        plan=plan, actor=alice, invigilator=SessionInvigilator(session=morning, name="周明")
    )
    with pytest.raises(ServiceError) as refused:
        services.invigilator_add(
            plan=plan, actor=alice, invigilator=SessionInvigilator(session=practical, name="周明")
        )
    assert refused.value.message == (
        "周明已在2026-12-15 09:00–11:00 实训中心A栋 理论考场1场次监考，"
        "与2026-12-15 10:00–12:00 实训中心B栋 数控车间场次时间重叠：同一人不能同时监考两个场次。"
    )
    with pytest.raises(ServiceError) as twice:
        services.invigilator_add(
            plan=plan, actor=alice, invigilator=SessionInvigilator(session=morning, name="周明")
        )
    assert "周明已是2026-12-15 09:00–11:00 实训中心A栋 理论考场1场次的监考人员。" in str(
        twice.value.message
    )


def test_seed004_s3_1_removing_an_invigilator_is_recorded(client, plan, alice):
    session = _session(plan)
    invigilator = services.invigilator_add(
        plan=plan, actor=alice, invigilator=SessionInvigilator(session=session, name="周明")
    )
    client.force_login(alice)
    client.post(f"/plans/{plan.pk}/invigilators/{invigilator.pk}/delete/")
    assert not SessionInvigilator.objects.exists()
    page = client.get(f"/plans/{plan.pk}/").text
    assert "移除监考人员" in page and "周明" in page
