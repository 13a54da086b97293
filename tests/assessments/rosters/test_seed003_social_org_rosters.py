"""Seed 003 §四(二), §二(二)1 (R-M7): the examinees of a social training evaluation organisation
are members of the public (社会人员) and a technical college's own students (技工院校学生), not its
employees; checked by `manage.py import_roster --plan ID FILE --dry-run`."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils.translation import gettext as _

from filings.models import InstitutionKind
from tests.assessments.factories import PlanFactory, roster_xlsx, row_values
from tests.support.factories import EnterpriseFactory

ORG = "佛山市顺德区智能制造职业培训学校"


@pytest.fixture
def org_plan(world):
    org = EnterpriseFactory(
        name=ORG, district=world["shunde"], kind=InstitutionKind.SOCIAL_TRAINING_ORG
    )
    return PlanFactory(enterprise=org, levels=[5, 4])


def public(n: int, **overrides) -> dict:
    values = {"评价机构名称": ORG, "是否本企业职工": "否", "所在单位": "", "人员类别": "社会人员"}
    return row_values(n, **{**values, **overrides})


def dry_run(plan, tmp_path, rows) -> str:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(roster_xlsx(rows))
    out = io.StringIO()
    try:
        call_command("import_roster", "--plan", str(plan.pk), str(path), "--dry-run", stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error)
    return out.getvalue()


def test_seed003_s4_2_public_applicants_and_college_students_pass_without_an_employer(
    org_plan, tmp_path
):
    rows = [
        public(1),
        public(2, **{"人员类别": "技工院校学生", "所在单位": "佛山市技师学院"}),
        # 人员类别 left empty: a member of the public, not an employee.
        public(3, **{"人员类别": ""}),
    ]
    assert dry_run(org_plan, tmp_path, rows) == (
        "summary: 3 rows, 3 good, 0 with problems; nothing imported (dry run)\n"
    )


def test_seed003_s4_2_an_organisations_own_employee_category_is_refused(org_plan, tmp_path):
    rows = [public(1), public(2, **{"是否本企业职工": "是", "人员类别": "本企业职工"})]
    output = dry_run(org_plan, tmp_path, rows)
    expected = _(
        "%(category)s may not be assessed by a social training evaluation organisation, "
        "which assesses members of the public; admitted: %(admitted)s."
    ) % {"category": "本企业职工", "admitted": "社会人员、技工院校学生"}
    assert f"row 4: 人员类别: {expected}" in output
    assert "summary: 2 rows, 1 good, 1 with problems" in output


def test_seed003_s4_1_an_enterprise_roster_refuses_public_applicants(plan, tmp_path):
    output = dry_run(plan, tmp_path, [row_values(1), row_values(2, 人员类别="社会人员")])
    assert "row 4: 人员类别: " in output and "社会人员" in output
    assert "summary: 2 rows, 1 good, 1 with problems" in output
