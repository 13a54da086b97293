"""Every way a workbook enters the portal refuses an XML bomb and an external entity before
python-calamine (or openpyxl) reads a byte of it: the roster upload page, the roster check run
by the background job and by `manage.py import_roster`, the score sheet import page and its
service. A clean copy of the same workbook goes through each of them (the control)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import ExamineeScore, RosterEntry, RosterImport
from assessments.rosters import services as roster_services
from assessments.rosters.reader import RosterFileError
from assessments.rosters.reader import workbook as roster_workbook
from assessments.scores import services as score_services
from assessments.scores.spreadsheets import ScoreFileError, score_template_xlsx
from tests.assessments.factories import PlanFactory, roster_xlsx
from tests.assessments.scores.factories import acknowledged_plan_with_roster
from tests.core.xlsx_payloads import SHEET, billion_laughs_xlsx, external_entity_xlsx

HOSTILE = {"billion laughs": billion_laughs_xlsx, "external entity": external_entity_xlsx}
REFUSED = f"部件 {SHEET} 含有 DOCTYPE 或 ENTITY 声明（XML 炸弹或外部实体）"


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """Every workbook python-calamine opens; the portal reads workbooks with nothing else."""
    opened: list[str] = []
    original = roster_workbook.CalamineWorkbook.from_filelike

    class Spy:
        @staticmethod
        def from_filelike(stream):
            opened.append("calamine")
            return original(stream)

    monkeypatch.setattr(roster_workbook, "CalamineWorkbook", Spy)
    return opened


@pytest.fixture
def plan(ent_a):
    return PlanFactory(enterprise=ent_a, levels=[5, 4])


@pytest.fixture
def scored_plan(ent_a):
    return acknowledged_plan_with_roster(ent_a, size=2)


def score_sheet(plan) -> bytes:
    layout = score_services.layout_for(plan)
    entries = plan.roster.order_by("seq").prefetch_related("scores")
    return score_template_xlsx(title=plan.title, layout=layout, entries=entries)


def post_roster(client, plan, data: bytes):
    return client.post(
        reverse("roster_upload", args=[plan.pk]), {"file": SimpleUploadedFile("名册.xlsx", data)}
    )


def post_scores(client, plan, data: bytes):
    return client.post(
        reverse("score_import", args=[plan.pk]), {"file": SimpleUploadedFile("成绩表.xlsx", data)}
    )


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_roster_upload_page_refuses_it_before_parsing(client, alice, plan, parsed, make):
    client.force_login(alice)
    response = post_roster(client, plan, make())
    text = response.content.decode()
    assert response.status_code == 200
    assert "人员名册（.xlsx）：" + REFUSED in text
    assert "root:" not in text and "lollollol" not in text
    assert parsed == []
    assert not RosterImport.objects.exists() and not RosterEntry.objects.exists()


def test_the_roster_upload_page_control_reaches_the_parser(client, alice, plan, parsed):
    client.force_login(alice)
    response = post_roster(client, plan, roster_xlsx(2))
    assert response.status_code == 302
    assert parsed == ["calamine"]


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_roster_check_of_the_job_refuses_it_before_parsing(plan, parsed, make):
    # The background job reads the stored upload again: it is checked again.
    with pytest.raises(RosterFileError, match=REFUSED):
        roster_services.roster_check(plan=plan, data=make())
    assert parsed == []
    roster_services.roster_check(plan=plan, data=roster_xlsx(2))
    assert parsed == ["calamine"]


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_import_roster_command_refuses_it_before_parsing(plan, parsed, tmp_path, make):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(make())
    with pytest.raises(CommandError, match=REFUSED):
        call_command("import_roster", "--plan", str(plan.pk), str(path), stdout=io.StringIO())
    assert parsed == [] and not RosterEntry.objects.exists()


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_score_import_page_refuses_it_before_parsing(client, alice, scored_plan, parsed, make):
    client.force_login(alice)
    response = post_scores(client, scored_plan, make(score_sheet(scored_plan)))
    text = response.content.decode()
    assert response.status_code == 200
    assert "成绩表（.xlsx）：" + REFUSED in text
    assert "root:" not in text
    assert parsed == []
    assert not ExamineeScore.objects.exists()


def test_the_score_import_page_control_reaches_the_parser(client, alice, scored_plan, parsed):
    client.force_login(alice)
    post_scores(client, scored_plan, score_sheet(scored_plan))
    assert parsed == ["calamine"]


@pytest.mark.parametrize("make", HOSTILE.values(), ids=HOSTILE.keys())
def test_the_score_import_service_refuses_it_before_parsing(alice, scored_plan, parsed, make):
    with pytest.raises(ScoreFileError, match=REFUSED):
        score_services.scores_import(
            plan=scored_plan, actor=alice, data=make(score_sheet(scored_plan))
        )
    assert parsed == []
