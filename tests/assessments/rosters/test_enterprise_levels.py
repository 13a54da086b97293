"""Seed 004 §一(三) (R-S4): a roster row may name one of the scheme's own levels (特级技师, a
sub-level); it is stored as the national level it maps to, with the enterprise's title beside it
on every page, spreadsheet and certificate, never in its place."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import LevelMapping, RosterEntry
from assessments.rosters import services as roster_services
from tests.assessments.factories import PlanFactory, approved_scheme, roster_xlsx, row_values
from tests.assessments.results.factories import acknowledged_plan, with_results

pytestmark = pytest.mark.django_db

TOP = "一级/高级技师（企业等级：特级技师）"


def with_levels(scheme):
    for name, level in (("特级技师", 1), ("首席技师", 1), ("四级一档", 4)):
        LevelMapping.objects.create(scheme=scheme, enterprise_level=name, national_level=level)
    return scheme


@pytest.fixture
def plan(ent_a):
    """A plan for levels 4 and 1 of a scheme with levels above 一级 and a sub-level."""
    scheme = with_levels(approved_scheme(ent_a, levels=(5, 4, 3, 2, 1)))
    return PlanFactory(enterprise=ent_a, scheme=scheme, levels=[4, 1])


def run(plan, tmp_path, rows, *args) -> str:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_xlsx(rows))
    out = io.StringIO()
    call_command("import_roster", "--plan", str(plan.pk), str(path), *args, stdout=out)
    return out.getvalue()


def test_seed004_s1_3_roster_accepts_enterprise_level_name_stored_as_national_level(plan, tmp_path):
    rows = [
        row_values(1, 职业技能等级="特级技师"),
        row_values(2, 职业技能等级=" 四级一档 "),
        row_values(3, 职业技能等级="四级/中级工"),
    ]
    assert run(plan, tmp_path, rows, "--dry-run") == (
        "summary: 3 rows, 3 good, 0 with problems; nothing imported (dry run)\n"
    )
    run(plan, tmp_path, rows)
    stored = list(plan.roster.order_by("seq").values_list("level", "enterprise_level"))
    assert stored == [(1, "特级技师"), (4, "四级一档"), (4, "")]


def test_seed004_s1_3_the_level_as_the_portal_writes_it_with_the_title_is_read_back(plan, tmp_path):
    rows = [
        row_values(1, 职业技能等级=TOP),
        row_values(2, 职业技能等级="特级技师（一级）"),
        row_values(3, 职业技能等级="一级/首席技师"),
    ]
    run(plan, tmp_path, rows)
    stored = list(plan.roster.order_by("seq").values_list("level", "enterprise_level"))
    assert stored == [(1, "特级技师"), (1, "特级技师"), (1, "首席技师")]


def test_seed004_s1_3_an_unknown_level_name_lists_the_scheme_s_own_levels(plan, tmp_path):
    out = io.StringIO()
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_xlsx([row_values(1, 职业技能等级="金牌技师")]))
    with pytest.raises(CommandError, match="1 with problems"):
        call_command("import_roster", "--plan", str(plan.pk), str(path), "--dry-run", stdout=out)
    (line,) = out.getvalue().splitlines()
    assert line.startswith("row 3: 职业技能等级: ") and "“金牌技师”" in line
    assert "特级技师（一级/高级技师）、首席技师（一级/高级技师）、四级一档（四级/中级工）" in line


def test_seed004_s1_3_a_title_naming_another_national_level_is_refused(plan, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_xlsx([row_values(1, 职业技能等级="二级/技师（企业等级：特级技师）")]))
    with pytest.raises(CommandError, match="1 with problems"):
        call_command("import_roster", "--plan", str(plan.pk), str(path), "--dry-run")


def test_seed004_s1_3_the_mapped_level_must_be_one_of_the_plan_s_levels(ent_a, tmp_path):
    scheme = with_levels(approved_scheme(ent_a, levels=(5, 4, 3, 2, 1)))
    plan = PlanFactory(enterprise=ent_a, scheme=scheme, levels=[5, 4])
    out = io.StringIO()
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_xlsx([row_values(1, 职业技能等级="特级技师")]))
    with pytest.raises(CommandError, match="1 with problems"):
        call_command("import_roster", "--plan", str(plan.pk), str(path), "--dry-run", stdout=out)
    (line,) = out.getvalue().splitlines()
    assert line.startswith("row 3: 职业技能等级: ") and TOP in line and "R-P4" not in line


def test_seed004_s1_3_roster_page_and_export_show_the_title_beside_the_national_level(
    client, alice, plan
):
    roster_services.roster_import(
        plan=plan,
        actor=alice,
        data=roster_xlsx([row_values(1, 职业技能等级="特级技师"), row_values(2)]),
        filename="a.xlsx",
    )
    client.force_login(alice)
    page = client.get(reverse("roster_detail", args=[plan.pk])).text
    assert TOP in page and "四级/中级工" in page
    plan_page = client.get(reverse("plan_detail", args=[plan.pk])).text
    assert TOP in plan_page
    export = client.get(reverse("roster_export", args=[plan.pk])).content
    rows = list(load_workbook(io.BytesIO(export)).worksheets[0].iter_rows(values_only=True))
    assert rows[2][18] == TOP and rows[3][18] == "四级/中级工"


def entry_with_title(plan, name="特级技师", level=1):
    entry = plan.roster.order_by("seq").first()
    RosterEntry.objects.filter(pk=entry.pk).update(level=level, enterprise_level=name)
    return entry


def test_seed004_s1_3_scores_and_results_show_the_title_on_pages_and_spreadsheets(
    client, alice, ent_a
):
    scheme = with_levels(approved_scheme(ent_a, levels=(5, 4, 3, 2, 1)))
    plan = acknowledged_plan(ent_a, scheme=scheme, levels=[4, 1])
    with_results(plan, "passed", "failed")
    entry_with_title(plan)
    client.force_login(alice)
    assert TOP in client.get(reverse("score_grid", args=[plan.pk])).text
    assert TOP in client.get(reverse("result_batch", args=[plan.pk])).text
    for name in ("score_export", "score_template"):
        content = client.get(reverse(name, args=[plan.pk])).content
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        cells = [value for row in sheet.iter_rows(values_only=True) for value in row]
        assert "职业技能等级" in cells and TOP in cells, name


def test_seed004_s1_3_the_blank_template_names_the_scheme_s_own_levels(client, alice, plan):
    client.force_login(alice)
    content = client.get(reverse("roster_template", args=[plan.pk])).content
    notes = [
        row[0]
        for row in load_workbook(io.BytesIO(content)).worksheets[1].iter_rows(values_only=True)
    ]
    assert any(
        "特级技师（一级/高级技师）、首席技师（一级/高级技师）、四级一档（四级/中级工）" in note
        for note in notes
    )
