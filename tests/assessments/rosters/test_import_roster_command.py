"""`manage.py import_roster --plan ID FILE [--dry-run]`: the checks of the import page from the
command line, one line per problem and a summary line (R-P3, R-P4, R-P5, R-P5a)."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.assessments.factories import roster_xlsx, row_values


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_roster", *args, stdout=out)
    return out.getvalue()


def test_r_p5_a_clean_file_is_imported(plan, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_xlsx(3))
    assert run("--plan", str(plan.pk), str(path)) == (
        f"summary: 3 rows, 3 good, 0 with problems; 3 imported into plan {plan.pk}\n"
    )
    assert plan.roster.count() == 3


def test_r_p5_a_dry_run_checks_and_imports_nothing(plan, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_xlsx(2))
    output = run("--plan", str(plan.pk), str(path), "--dry-run")
    assert output == "summary: 2 rows, 2 good, 0 with problems; nothing imported (dry run)\n"
    assert plan.roster.count() == 0


def test_r_p5_each_problem_is_a_line_and_nothing_is_imported(plan, tmp_path):
    path = tmp_path / "名册.xlsx"
    rows = [row_values(1), row_values(2, 联系电话="12345", 职业编码="6-18-01-02"), row_values(3)]
    path.write_bytes(roster_xlsx(rows))
    out = io.StringIO()
    with pytest.raises(CommandError, match="summary: 3 rows, 2 good, 1 with problems; nothing"):
        call_command("import_roster", "--plan", str(plan.pk), str(path), stdout=out)
    assert out.getvalue().splitlines() == [
        "row 4: 联系电话: “12345”不是有效的电话号码：应为以 1 开头的 11 位手机号码，"
        "或带区号的固定电话，如 0755-12345678。",
        "row 4: 职业编码: 6-18-01-02 不是本计划的职业（备案范围内的 6-18-01-01 车工）。",
    ]
    assert plan.roster.count() == 0


def test_r_p5_a_file_problem_is_reported_for_the_file(plan, tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_xlsx([]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="summary: 0 rows"):
        call_command("import_roster", "--plan", str(plan.pk), str(path), "--dry-run", stdout=out)
    assert out.getvalue() == "file: 名册表头下方没有考生数据行。\n"


def test_an_unreadable_file_or_a_missing_plan_is_an_error(plan, tmp_path):
    path = tmp_path / "名册.xls"
    path.write_bytes(b"not a workbook")
    with pytest.raises(CommandError, match="该文件不是 Excel 工作簿"):
        run("--plan", str(plan.pk), str(path))
    with pytest.raises(CommandError, match="plan 999999 does not exist"):
        run("--plan", "999999", str(path))
    with pytest.raises(CommandError, match="No such file"):
        run("--plan", str(plan.pk), str(tmp_path / "missing.xlsx"))
