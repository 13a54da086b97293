"""R-M3: the yearly evaluation — who is evaluated, the scorecard, the city's decision, removal."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.core.errors import ServiceError
from supervision.annual.evaluation import evaluation_decide
from supervision.annual.scorecard import evaluable_enterprises, scorecard_for
from supervision.models import Evaluation, Finding, Sanction
from tests.assessments.results.factories import acknowledged_plan
from tests.supervision.annual.helpers import long_valid_filing
from tests.supervision.factories import ComplaintFactory, inspection_of
from tests.support.factories import SanctionFactory

TODAY = dt.date(2027, 2, 1)


def _filed(enterprise, approved_on=dt.date(2025, 6, 1)):
    return long_valid_filing(enterprise, approved_on=approved_on)


def test_r_m3_only_enterprises_filed_a_year_or_more_at_year_end_are_evaluated(world, ent_a, ent_b):
    _filed(ent_a, approved_on=dt.date(2025, 12, 31))
    _filed(ent_b, approved_on=dt.date(2026, 1, 1))
    assert list(evaluable_enterprises(city=world["city"], year=2026)) == [ent_a]
    assert list(evaluable_enterprises(city=world["other_city"], year=2026)) == []


def test_r_m3_no_assessment_in_the_year_suggests_removal(ent_a):
    _filed(ent_a)
    card = scorecard_for(ent_a, 2026)
    assert card["no_assessment"] and card["suggested"] == "remove"
    assert card["lines"]["assessments"]["points"] == 0
    assert "未组织认定" in card["lines"]["assessments"]["explain"]


def test_r_m3_findings_complaints_lower_the_score(ent_a, carl, sam):
    _filed(ent_a)
    acknowledged_plan(ent_a)  # a session on 2026-10-20
    clean = scorecard_for(ent_a, 2026)
    assert not clean["no_assessment"]
    inspection = inspection_of(ent_a, supervisors=[sam], actor=carl)
    inspection.visited_on = dt.date(2026, 5, 1)
    inspection.save()
    Finding.objects.create(
        inspection=inspection,
        description="考场无监控",
        severity="serious",
        rectify_by=dt.date(2026, 6, 1),
        created_by=sam,
    )
    ComplaintFactory(
        enterprise=ent_a,
        status="answered",
        substantiated=True,
        answered_at=dt.datetime(2026, 7, 1, 10, tzinfo=dt.UTC),
    )
    card = scorecard_for(ent_a, 2026)
    assert card["lines"]["findings"]["points"] == 20 - 8
    assert card["lines"]["overdue_rectifications"]["points"] == 10 - 5
    assert card["lines"]["complaints"]["points"] == 10 - 5
    assert card["score"] == clean["score"] - 8 - 5 - 5


def test_r_m3_deciding_differently_needs_a_note(ent_a, carl):
    _filed(ent_a)
    acknowledged_plan(ent_a)
    suggested = scorecard_for(ent_a, 2026)["suggested"]
    other = "qualified" if suggested != "qualified" else "good"
    with pytest.raises(ServiceError) as refusal:
        evaluation_decide(
            enterprise=ent_a, year=2026, outcome=other, note="", actor=carl, today=TODAY
        )
    assert "说明理由" in refusal.value.message
    evaluation = evaluation_decide(
        enterprise=ent_a, year=2026, outcome=other, note="现场核查良好", actor=carl, today=TODAY
    )
    assert evaluation.scorecard["score"] == evaluation.score and evaluation.sanction is None
    with pytest.raises(ServiceError):
        evaluation_decide(
            enterprise=ent_a, year=2026, outcome=suggested, note="", actor=carl, today=TODAY
        )


def test_r_m3_removal_imposes_a_two_year_ban_in_the_same_decision(client, ent_a, carl):
    filing = _filed(ent_a)
    client.force_login(carl)
    url = reverse("evaluation_detail", kwargs={"year": 2026, "enterprise_id": ent_a.pk})
    page = client.get(url).content.decode()
    assert "2026年未组织认定" in page and "评分表" in page
    import supervision.annual.views as views

    original = views.timezone.localdate
    views.timezone.localdate = lambda: TODAY
    try:
        response = client.post(url, {"outcome": "remove", "note": ""})
    finally:
        views.timezone.localdate = original
    assert response.status_code == 302
    evaluation = Evaluation.objects.get()
    sanction = Sanction.objects.get()
    assert evaluation.sanction == sanction and sanction.kind == "removed"
    assert sanction.ban_until == dt.date(2029, 2, 1)
    filing.refresh_from_db()
    assert filing.status == "removed"


def test_r_m3_removal_rolls_back_when_a_ban_already_runs(ent_a, carl):
    _filed(ent_a)
    SanctionFactory(enterprise=ent_a, decided_on=dt.date(2026, 12, 1), decided_by=carl)
    with pytest.raises(ServiceError):
        evaluation_decide(
            enterprise=ent_a, year=2026, outcome="remove", note="", actor=carl, today=TODAY
        )
    assert not Evaluation.objects.exists() and Sanction.objects.count() == 1


def test_r_m3_scorecards_export_reads_back(client, ent_a, ent_b, carl):
    _filed(ent_a)
    _filed(ent_b)
    acknowledged_plan(ent_a)
    client.force_login(carl)
    response = client.get(reverse("evaluation_export") + "?year=2026")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "企业名称" or "企业" in rows[0][0]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {ent_a.name, ent_b.name}
    assert by_name[ent_a.name][3] == 30 and by_name[ent_b.name][3] == 0
    assert "移出目录" in by_name[ent_b.name][-3]
