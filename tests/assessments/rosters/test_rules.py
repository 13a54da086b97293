"""R-P3 who may be assessed, R-P4 inside the approved scope, R-P5a one person one certificate:
the rules that need the plan, the city's policy and the enterprise's other rosters."""

import datetime as dt

import pytest

from assessments.models import AssessmentSession, ImplementationPlan
from assessments.rosters import services as roster_services
from portal.core.errors import ServiceError
from portal.core.models import Policy
from tests.assessments.factories import (
    PlanFactory,
    RosterEntryFactory,
    approved_scheme,
    id_number,
    roster_xlsx,
    row_values,
)


@pytest.fixture
def plan(ent_a):
    plan = PlanFactory(enterprise=ent_a, levels=[5, 4])
    _session(plan, dt.date(2026, 6, 1))
    return plan


def _session(plan, day: dt.date) -> None:
    AssessmentSession.objects.create(
        plan=plan, date=day, starts_at=dt.time(9), ends_at=dt.time(11), site="实训楼"
    )


def check(plan, *rows) -> list[str]:
    parsed = roster_services.roster_check(plan=plan, data=roster_xlsx(list(rows)))
    return [str(p) for p in parsed.problems]


def policy(world) -> Policy:
    return Policy.objects.get(bureau=world["city"])


# R-P3 -------------------------------------------------------------------------------------------


def test_r_p3_a_category_the_city_does_not_admit_is_refused(plan):
    assert check(
        plan, row_values(1, 是否本企业职工="否", 所在单位="深圳技师学院", 人员类别="学徒")
    ) == [
        "人员类别：按深圳市的政策，学徒不能参加认定；可参加的人员类别：本企业职工、关联企业职工、"
        "劳务派遣人员。"
    ]


def test_r_p3_a_category_the_city_admits_is_accepted(plan, world):
    city_policy = policy(world)
    city_policy.examinee_categories = ["employee", "apprentice"]
    city_policy.save(update_fields=["examinee_categories"])
    assert (
        check(plan, row_values(1, 是否本企业职工="否", 所在单位="深圳技师学院", 人员类别="学徒"))
        == []
    )


def _dispatched(n: int, hired) -> dict:
    return row_values(
        n,
        是否本企业职工="否",
        所在单位="深圳市南山人力资源服务有限公司",
        人员类别="劳务派遣人员",
        入职时间=hired,
    )


def test_r_p3_a_dispatched_worker_is_assessed_after_a_year_at_the_enterprise(plan):
    assert check(plan, _dispatched(1, dt.date(2025, 6, 1))) == []
    assert check(plan, _dispatched(1, dt.date(2025, 7, 1))) == [
        "入职时间：入职时间 2025-07-01 距认定日期 2026-06-01 不满 12 个月；"
        "劳务派遣人员在本企业工作满 12 个月后方可参加认定。"
    ]


def test_r_p3_the_months_for_dispatched_workers_are_the_city_s(plan, world):
    city_policy = policy(world)
    city_policy.dispatched_min_months = 6
    city_policy.save(update_fields=["dispatched_min_months"])
    assert check(plan, _dispatched(1, dt.date(2025, 12, 1))) == []
    assert "不满 6 个月" in check(plan, _dispatched(1, dt.date(2025, 12, 2)))[0]


def test_r_p3_a_dispatched_worker_without_a_hiring_date_is_refused(plan):
    assert check(plan, _dispatched(1, None)) == [
        "入职时间：劳务派遣人员须填写入职时间：在本企业工作满 12 个月后方可参加认定。"
    ]


def test_r_p3_without_a_session_the_year_is_counted_to_today(ent_a):
    plan = PlanFactory(enterprise=ent_a)
    from django.utils import timezone

    today = timezone.localdate()
    problems = check(plan, _dispatched(1, today - dt.timedelta(days=200)))
    assert problems and f"距认定日期 {today.isoformat()} 不满 12 个月" in problems[0]


def test_r_p3_an_employee_must_be_of_the_enterprise(plan):
    values = row_values(1, 是否本企业职工="否", 所在单位="深圳某公司", 人员类别="本企业职工")
    assert check(plan, values) == ["人员类别：“本企业职工”与“是否本企业职工”为“否”相矛盾。"]


# R-P4 -------------------------------------------------------------------------------------------


def test_r_p4_another_occupation_is_refused(plan):
    assert check(plan, row_values(1, 职业编码="6-18-01-02", 职业名称="铣工")) == [
        "职业编码：6-18-01-02 不是本计划的职业（备案范围内的 6-18-01-01 车工）。"
    ]


def test_r_p4_the_occupation_name_must_match_its_code(plan):
    assert check(plan, row_values(1, 职业名称="钳工")) == [
        "职业名称：“钳工”不是职业编码 6-18-01-01 的名称，应为“车工”。"
    ]


def test_r_p4_a_level_outside_the_plan_is_refused(plan):
    # The filing covers 5, 4 and 3; this plan assesses 5 and 4 only.
    assert check(plan, row_values(1, 职业技能等级="三级/高级工")) == [
        "职业技能等级：三级/高级工 不在本计划的认定等级之内，"
        "备案范围内本计划的等级为：五级/初级工、四级/中级工。"
    ]
    assert check(plan, row_values(1, 职业技能等级="五级/初级工")) == []


def test_r_p4_the_work_type_is_that_of_the_filed_occupation(ent_a):
    scheme = approved_scheme(ent_a, code="6-18-01-03", name="钳工", work_type="装配钳工")
    plan = PlanFactory(enterprise=ent_a, scheme=scheme)

    def row(work_type: str) -> dict:
        return row_values(1, 职业编码="6-18-01-03", 职业名称="钳工", 工种名称=work_type)

    assert check(plan, row("装配钳工")) == []
    assert check(plan, row("工具钳工")) == [
        "工种名称：“工具钳工”不是本计划备案职业的工种，应为“装配钳工”。"
    ]
    assert check(plan, row("")) == ["工种名称：必填：本计划备案的职业工种为“装配钳工”。"]


def test_r_p4_no_work_type_when_the_filed_occupation_has_none(plan):
    assert check(plan, row_values(1, 工种名称="--")) == []
    assert check(plan, row_values(1, 工种名称="数控车工")) == [
        "工种名称：本计划备案的职业不分工种，此列请留空。"
    ]


# R-P5a ------------------------------------------------------------------------------------------


def _other_plan(enterprise, *, year: int, scheme=None):
    other = PlanFactory(
        enterprise=enterprise,
        title=f"{year}年第二期车工认定",
        **({"scheme": scheme} if scheme else {}),
    )
    _session(other, dt.date(year, 9, 1))
    return other


def test_r_p5a_the_same_person_at_the_same_level_in_the_same_year_is_refused(plan, ent_a):
    other = _other_plan(ent_a, year=2026, scheme=plan.scheme)
    RosterEntryFactory(plan=other, id_number=id_number(1), level=4)
    assert check(plan, row_values(1, 职业技能等级="四级/中级工")) == [
        "证件号：已在本企业 2026 年“2026年第二期车工认定”的名册中（6-18-01-01 车工，四级/中级工）："
        "同一人同一职业同一等级一年内只能认定一次。"
    ]
    assert check(plan, row_values(1, 职业技能等级="五级/初级工")) == []


def test_r_p5a_another_year_or_another_enterprise_does_not_count(plan, ent_a, ent_b):
    last_year = _other_plan(ent_a, year=2025, scheme=plan.scheme)
    RosterEntryFactory(plan=last_year, id_number=id_number(1), level=4)
    elsewhere = _other_plan(ent_b, year=2026)
    RosterEntryFactory(plan=elsewhere, id_number=id_number(1), level=4)
    assert check(plan, row_values(1)) == []


def test_r_p5a_a_plan_without_sessions_counts_in_the_year_it_was_made(plan, ent_a):
    made = {}
    for year in (2025, 2026):
        other = PlanFactory(enterprise=ent_a, scheme=plan.scheme, title=f"{year}年未排期计划")
        ImplementationPlan.objects.filter(pk=other.pk).update(
            created_at=dt.datetime(year, 3, 1, 10, tzinfo=dt.UTC)
        )
        made[year] = other
    RosterEntryFactory(plan=made[2025], id_number=id_number(1), level=4)
    RosterEntryFactory(plan=made[2026], id_number=id_number(2), level=4)
    problems = check(plan, row_values(1), row_values(2))
    assert len(problems) == 1 and "“2026年未排期计划”" in problems[0]


def test_r_p5a_is_checked_again_when_the_roster_is_imported(plan, ent_a, alice, monkeypatch):
    data = roster_xlsx([row_values(1), row_values(2)])
    checked = roster_services.roster_check(plan=plan, data=data)
    other = _other_plan(ent_a, year=2026, scheme=plan.scheme)
    RosterEntryFactory(plan=other, id_number=id_number(2), level=4)
    # The preview was clean; meanwhile another roster took the person of row 4.
    monkeypatch.setattr(roster_services, "roster_check", lambda **kwargs: checked)
    with pytest.raises(ServiceError) as raised:
        roster_services.roster_import(plan=plan, actor=alice, data=data, filename="名册.xlsx")
    assert raised.value.message == "在此期间，本企业其他名册已收录其中部分人员。"
    assert [p.row for p in raised.value.problems] == [4]
    assert plan.roster.count() == 0


def test_r_p5a_ignores_the_plan_s_own_roster_when_it_is_imported_again(plan, alice):
    data = roster_xlsx(3)
    roster_services.roster_import(plan=plan, actor=alice, data=data, filename="名册.xlsx")
    assert check(plan, *[row_values(n) for n in (1, 2, 3)]) == []


def test_r_p5_an_entry_date_before_the_date_of_birth_is_refused(plan):
    """Issue 16: impossible dates are refused, naming the column and the date of birth."""
    problems = check(plan, row_values(1, 入职时间=dt.date(1989, 1, 1)))
    assert problems == ["入职时间：1989-01-01不晚于出生日期（1990-01-01），请核对。"]
    assert check(plan, row_values(1, 入职时间=dt.date(2012, 7, 1))) == []
