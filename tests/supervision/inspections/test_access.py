"""Who sees which inspection (R-C2, R-M1): the assigned supervisor by delegation only, the city
of the draw, the enterprise's district, and the enterprise itself only once the inspection is
reported — a random inspection is not announced in advance. Everyone else gets 404."""

import datetime as dt

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from assessments.models import AssessmentSession
from supervision.models import Finding, Inspection
from tests.assessments.factories import PlanFactory
from tests.assessments.schemes.factories import ExaminerFactory
from tests.supervision.factories import inspection_of, supervisor_profile
from tests.support.factories import make_member


@pytest.fixture
def sid(world):
    user = make_member("sid", "supervisor", bureau=world["city"])
    supervisor_profile(user, city=world["city"])
    return user


@pytest.fixture
def inspection(ent_a, sam, carl, world):
    supervisor_profile(sam, city=world["city"])
    return inspection_of(ent_a, supervisors=[sam], actor=carl)


def _report(inspection: Inspection) -> Inspection:
    Inspection.objects.filter(pk=inspection.pk).update(status="reported", conclusion="rectify")
    inspection.refresh_from_db()
    return inspection


def _get(client, user, name, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs=kwargs))


def test_r_c2_only_the_assigned_supervisor_sees_the_inspection(client, inspection, sam, sid):
    assert _get(client, sam, "inspection_detail", pk=inspection.pk).status_code == 200
    assert _get(client, sid, "inspection_detail", pk=inspection.pk).status_code == 404
    page = _get(client, sid, "inspection_list").content.decode()
    assert inspection.enterprise.name not in page
    page = _get(client, sam, "inspection_list").content.decode()
    assert inspection.enterprise.name in page


def test_r_c2_a_global_permission_does_not_delegate_an_inspection(client, inspection, sid):
    # Scoping is by object permission only: a model-wide grant must not open every inspection.
    assign_perm("supervision.inspect_inspection", sid)
    assert _get(client, sid, "inspection_detail", pk=inspection.pk).status_code == 404


def test_r_m1_the_enterprise_sees_its_inspection_only_once_reported(client, inspection, alice):
    assert _get(client, alice, "inspection_detail", pk=inspection.pk).status_code == 404
    assert "南山精密机械" not in _get(client, alice, "inspection_list").content.decode()
    _report(inspection)
    response = _get(client, alice, "inspection_detail", pk=inspection.pk)
    assert response.status_code == 200
    assert "南山精密机械" in _get(client, alice, "inspection_list").content.decode()


def test_the_enterprise_does_not_see_the_supervisors_checklist(client, inspection, alice, sam):
    inspection.checklist = {"site": {"result": "problem", "note": "实操工位少于计划的10个"}}
    inspection.save()
    _report(inspection)
    assert (
        "实操工位少于计划"
        not in _get(client, alice, "inspection_detail", pk=inspection.pk).content.decode()
    )
    assert (
        "实操工位少于计划"
        in _get(client, sam, "inspection_detail", pk=inspection.pk).content.decode()
    )


def test_bureaus_see_their_scope_only(client, inspection, carl, dora, fred, olga, bob):
    assert _get(client, carl, "inspection_detail", pk=inspection.pk).status_code == 200
    assert _get(client, dora, "inspection_detail", pk=inspection.pk).status_code == 200
    _report(inspection)
    for outsider in (fred, olga, bob):
        assert _get(client, outsider, "inspection_detail", pk=inspection.pk).status_code == 404


def test_experts_have_no_inspection_list(client, erin):
    assert _get(client, erin, "inspection_list").status_code == 404


def test_only_the_assigned_supervisor_records(client, inspection, sid, carl, sam):
    for user in (sid, carl):
        assert _get(client, user, "inspection_record", pk=inspection.pk).status_code == 404
        assert _get(client, user, "finding_add", pk=inspection.pk).status_code == 404
    assert _get(client, sam, "inspection_record", pk=inspection.pk).status_code == 200


def test_other_enterprise_cannot_answer_or_download(client, inspection, sam, bob, alice):
    _report(inspection)
    finding = Finding.objects.create(
        inspection=inspection,
        description="缺少签到表",
        rectification="补齐签到表",
        rectify_by=dt.date(2099, 1, 4),
        created_by=sam,
    )
    assert _get(client, bob, "finding_answer", pk=finding.pk).status_code == 404
    assert _get(client, alice, "finding_answer", pk=finding.pk).status_code == 200


def test_r_c3_the_detail_shows_the_session_and_revoked_examiners(client, ent_a, sam, carl, world):
    plan = PlanFactory(enterprise=ent_a, title="2026年第四期车工认定")
    session = AssessmentSession.objects.create(
        plan=plan,
        date=dt.date(2026, 12, 8),
        starts_at=dt.time(9),
        ends_at=dt.time(11, 30),
        site="南山区科技园实训楼三层",
    )
    plan.examiners.add(
        ExaminerFactory(enterprise=ent_a, name="王强"),
        ExaminerFactory(enterprise=ent_a, name="赵敏", status="revoked"),
    )
    inspection = inspection_of(ent_a, supervisors=[sam], actor=carl, session=session)
    text = _get(client, sam, "inspection_detail", pk=inspection.pk).content.decode()
    assert "2026年第四期车工认定" in text
    assert "南山区科技园实训楼三层" in text
    assert "王强" in text
    assert text.count("资格已撤销") == 1
    list_text = _get(client, sam, "inspection_list").content.decode()
    assert "2026-12-08" in list_text


def test_a_reviewer_of_another_district_cannot_close(client, inspection, fred, dora):
    _report(inspection)
    assert _get(client, fred, "inspection_close", pk=inspection.pk).status_code == 404
    assert _get(client, dora, "inspection_close", pk=inspection.pk).status_code == 200
