"""R-F1 … R-F4, R-F8 and the bans of R-M2/R-M3, checked against the city's policy values.

Each rule fails with its own reason when violated and passes exactly at its threshold.
"""

import datetime as dt

import pytest

from filings.eligibility import policy_for, submission_problems
from filings.filings import services
from filings.models import FilingStatus, WorkType
from portal.core.errors import ServiceError
from portal.core.models import ApplicationWindow, Policy
from tests.support.factories import (
    MaterialFactory,
    OccupationFactory,
    SanctionFactory,
    ScopeLineFactory,
    complete_filing,
)

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def filing(ent_a):
    return complete_filing(ent_a)


def problems(filing, rule: str | None = None) -> list[str]:
    found = submission_problems(filing, TODAY)
    return [p.message for p in found if rule is None or p.rule == rule]


def set_policy(world, **values) -> Policy:
    Policy.objects.filter(bureau=world["city"]).update(**values)
    return Policy.objects.get(bureau=world["city"])


def change(filing, **fields):
    for name, value in fields.items():
        setattr(filing, name, value)
    filing.save(update_fields=list(fields))
    return filing


def test_a_complete_filing_meets_every_rule(filing):
    assert submission_problems(filing, TODAY) == []


# R-F1: the enterprise --------------------------------------------------------------------------


def test_r_f1_insured_employees_at_the_minimum_pass(filing):
    change(filing, insured_employees=300)
    assert problems(filing, "R-F1") == []


def test_r_f1_one_insured_employee_less_fails_with_both_numbers(filing):
    change(filing, insured_employees=299)
    [message] = problems(filing, "R-F1")
    assert "300" in message and "299" in message
    assert "参保" in message


def test_r_f1_the_city_policy_sets_the_minimum_of_insured_employees(world, filing):
    change(filing, insured_employees=150)
    set_policy(world, min_insured_employees=100)
    assert problems(filing, "R-F1") == []
    set_policy(world, min_insured_employees=300)
    [message] = problems(filing, "R-F1")
    assert "300" in message and "150" in message


def test_r_f1_size_below_the_city_minimum_fails(world, filing):
    # J-FS: Foshan admits medium-sized or larger enterprises (seed 003 §一(一)).
    set_policy(world, min_enterprise_size="medium")
    change(filing, enterprise_size="small")
    [message] = problems(filing, "R-F1")
    assert "中型" in message


def test_j_sz_shenzhen_has_no_size_rule_seed_001_s1(filing):
    # Seed 001 §一 names no size: a small enterprise with 500 insured staff qualifies.
    change(filing, enterprise_size="small", insured_employees=500)
    assert problems(filing, "R-F1") == []


def test_r_f1_size_at_the_city_minimum_passes(world, filing):
    set_policy(world, min_enterprise_size="medium")
    change(filing, enterprise_size="medium")
    assert problems(filing, "R-F1") == []


def test_r_f1_the_city_policy_sets_the_minimum_size(world, filing):
    change(filing, enterprise_size="medium")
    set_policy(world, min_enterprise_size="large")
    [message] = problems(filing, "R-F1")
    assert "大型" in message
    set_policy(world, min_enterprise_size="")
    change(filing, enterprise_size="micro")
    assert problems(filing, "R-F1") == []


@pytest.mark.parametrize(
    ("scope", "word"),
    [
        ("机械设备制造；职业技能培训", "培训"),
        ("企业管理咨询；电子产品销售", "咨询"),
        ("精密仪器生产；技能评价服务", "评价"),
    ],
)
def test_r_f1_business_scope_with_training_evaluation_or_consulting_fails(filing, scope, word):
    change(filing, business_scope=scope)
    [message] = problems(filing, "R-F1")
    assert word in message
    assert "经营范围" in message


def test_r_f1_the_city_policy_sets_the_excluded_scope_words(world, filing):
    change(filing, business_scope="企业管理咨询；电子产品销售")
    set_policy(world, excluded_scope_keywords=["培训"])
    assert problems(filing, "R-F1") == []


@pytest.mark.parametrize(
    ("field", "words"),
    [
        ("independent_legal_person", "独立法人"),
        ("good_credit", "信用"),
        ("has_pay_linkage", "薪酬"),
        ("has_dedicated_staff", "专职"),
    ],
)
def test_r_f1_each_declared_condition_is_required(filing, field, words):
    change(filing, **{field: False})
    [message] = problems(filing, "R-F1")
    assert words in message


def test_r_f1_every_failed_condition_is_reported_at_once(world, filing):
    set_policy(world, min_enterprise_size="medium")
    change(
        filing,
        independent_legal_person=False,
        good_credit=False,
        has_pay_linkage=False,
        has_dedicated_staff=False,
        insured_employees=10,
        enterprise_size="micro",
        business_scope="职业技能培训",
    )
    assert len(problems(filing, "R-F1")) == 7


# R-F2 and R-F3: each scope line ----------------------------------------------------------------


@pytest.fixture
def line(filing):
    return filing.scope_lines.select_related("occupation").get()


def change_line(line, **fields):
    for name, value in fields.items():
        setattr(line, name, value)
    line.save(update_fields=list(fields))


@pytest.mark.parametrize(
    ("field", "minimum"), [("workstations", 10), ("examiners", 3), ("applicants", 50)]
)
def test_r_f2_line_threshold_passes_at_the_minimum(filing, line, field, minimum):
    change_line(line, **{field: minimum})
    assert problems(filing, "R-F2") == []


@pytest.mark.parametrize(
    ("field", "minimum", "word"),
    [("workstations", 10, "工位"), ("examiners", 3, "考评人员"), ("applicants", 50, "申报")],
)
def test_r_f2_line_threshold_fails_one_below_and_names_the_occupation(
    filing, line, field, minimum, word
):
    change_line(line, **{field: minimum - 1})
    [message] = problems(filing, "R-F2")
    assert line.occupation.code in message and line.occupation.name in message
    assert str(minimum) in message and str(minimum - 1) in message
    assert word in message


def test_r_f2_the_city_policy_sets_the_line_thresholds(world, filing, line):
    change_line(line, workstations=15)
    set_policy(world, min_workstations=20)
    [message] = problems(filing, "R-F2")
    assert "20" in message and "15" in message


def test_r_f2_a_non_skill_occupation_fails(filing):
    teacher = OccupationFactory(code="2-08-01-01", name="高等教育教师", kind="professional")
    ScopeLineFactory(filing=filing, occupation=teacher)
    [message] = problems(filing, "R-F2")
    assert "2-08-01-01 高等教育教师" in message
    assert "技能" in message


def test_r_f2_an_access_type_occupation_fails(filing):
    welder = OccupationFactory(code="6-18-02-04", name="焊工", access_type=True)
    ScopeLineFactory(filing=filing, occupation=welder)
    [message] = problems(filing, "R-F2")
    assert "6-18-02-04 焊工" in message
    assert "准入类" in message


def test_r_f2_an_occupation_unrelated_to_the_main_business_fails(filing, line):
    change_line(line, related_to_main_business=False)
    [message] = problems(filing, "R-F2")
    assert line.occupation.code in message
    assert "主营业务" in message


def test_r_f3_a_line_without_levels_fails(filing, line):
    change_line(line, levels=[])
    [message] = problems(filing, "R-F3")
    assert line.occupation.code in message
    assert "等级" in message


def test_r_f3_an_occupation_with_work_types_needs_one(filing, line):
    WorkType.objects.create(occupation=line.occupation, name="数控车工")
    [message] = problems(filing, "R-F3")
    assert line.occupation.code in message
    assert "工种" in message


def test_r_f3_a_filing_without_scope_fails(filing):
    filing.scope_lines.all().delete()
    [message] = problems(filing, "R-F3")
    assert "职业" in message


# R-F4: application windows ---------------------------------------------------------------------


@pytest.fixture
def windows(world):
    city = world["city"]
    ApplicationWindow.objects.filter(bureau=city).delete()
    ApplicationWindow.objects.create(
        bureau=city, opens_on=dt.date(2026, 1, 5), closes_on=dt.date(2026, 2, 27)
    )
    return city


def test_r_f4_outside_every_window_the_next_opening_date_is_named(windows, filing):
    ApplicationWindow.objects.create(
        bureau=windows, opens_on=dt.date(2027, 5, 1), closes_on=dt.date(2027, 5, 31)
    )
    ApplicationWindow.objects.create(
        bureau=windows, opens_on=dt.date(2026, 11, 16), closes_on=dt.date(2026, 12, 30)
    )
    [message] = problems(filing, "R-F4")
    assert "2026-11-16" in message and "2026-12-30" in message
    assert "2027-05-01" not in message


def test_r_f4_with_no_future_window_it_says_none_is_announced(windows, filing):
    [message] = problems(filing, "R-F4")
    assert "尚未公布" in message
    assert "2026-01-05" not in message


@pytest.mark.parametrize(
    ("opens", "closes"), [(TODAY, dt.date(2026, 7, 1)), (dt.date(2026, 6, 1), TODAY)]
)
def test_r_f4_the_first_and_last_day_of_a_window_are_inside(windows, filing, opens, closes):
    ApplicationWindow.objects.create(bureau=windows, opens_on=opens, closes_on=closes)
    assert problems(filing, "R-F4") == []


def test_r_f4_a_window_of_another_city_does_not_count(world, windows, filing):
    ApplicationWindow.objects.create(
        bureau=world["other_city"], opens_on=dt.date(2026, 6, 1), closes_on=dt.date(2026, 6, 30)
    )
    assert len(problems(filing, "R-F4")) == 1


# R-F8: materials -------------------------------------------------------------------------------


def test_r_f8_each_missing_required_material_is_listed(filing):
    filing.materials.filter(kind__in=["business_licence", "question_bank"]).delete()
    messages = problems(filing, "R-F8")
    assert len(messages) == 2
    assert any("营业执照" in m for m in messages)
    assert any("题库" in m for m in messages)


def test_r_f8_no_material_lists_all_eight(filing):
    filing.materials.all().delete()
    assert len(problems(filing, "R-F8")) == 8


def test_r_f8_the_city_policy_sets_the_required_materials(world, filing):
    filing.materials.all().delete()
    set_policy(world, required_materials=["application_form", "business_licence"])
    assert len(problems(filing, "R-F8")) == 2
    MaterialFactory(filing=filing, kind="application_form")
    MaterialFactory(filing=filing, kind="business_licence")
    assert problems(filing, "R-F8") == []


# R-M2, R-M3: bans on new filings ---------------------------------------------------------------


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr(services, "_today", lambda: TODAY)


@pytest.mark.parametrize(("kind", "rule"), [("cancelled", "R-M2"), ("removed", "R-M3")])
def test_r_m2_r_m3_a_banned_enterprise_cannot_create_a_filing(
    frozen_today, ent_a, alice, kind, rule
):
    SanctionFactory(enterprise=ent_a, kind=kind, ban_until=dt.date(2028, 4, 30))
    with pytest.raises(ServiceError) as refused:
        services.filing_create(enterprise=ent_a, actor=alice, data={})
    assert "2028-04-30" in refused.value.message
    assert [p.rule for p in refused.value.problems] == [rule]
    assert not ent_a.filings.exists()


def test_r_m2_a_banned_enterprise_cannot_submit_and_is_told_until_when(frozen_today, filing, alice):
    SanctionFactory(enterprise=filing.enterprise, ban_until=dt.date(2030, 3, 1))
    with pytest.raises(ServiceError) as refused:
        services.filing_submit(filing=filing, actor=alice)
    [ban] = [p for p in refused.value.problems if p.rule == "R-M2"]
    assert "2030-03-01" in ban.message
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DRAFT


def test_r_m2_the_ban_holds_on_its_last_day(frozen_today, filing):
    SanctionFactory(enterprise=filing.enterprise, ban_until=TODAY)
    assert len(problems(filing, "R-M2")) == 1


def test_r_m2_an_expired_ban_no_longer_blocks(frozen_today, ent_a, alice):
    SanctionFactory(
        enterprise=ent_a, decided_on=dt.date(2021, 1, 4), ban_until=TODAY - dt.timedelta(days=1)
    )
    filing = complete_filing(ent_a)
    assert submission_problems(filing, TODAY) == []
    services.filing_submit(filing=filing, actor=alice)
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DISTRICT_REVIEW


def test_r_m2_the_longest_running_ban_is_the_one_reported(frozen_today, filing):
    SanctionFactory(enterprise=filing.enterprise, kind="removed", ban_until=dt.date(2027, 1, 1))
    SanctionFactory(enterprise=filing.enterprise, kind="cancelled", ban_until=dt.date(2029, 9, 9))
    [message] = problems(filing, "R-M2")
    assert "2029-09-09" in message


def test_a_city_without_a_policy_has_no_minimum_not_another_citys_rule(world, ent_b):
    Policy.objects.filter(bureau=world["city"]).delete()
    policy = policy_for(ent_b)
    assert policy.city == world["city"]
    assert policy.min_insured_employees == 0
    assert policy.size_rule == ""
