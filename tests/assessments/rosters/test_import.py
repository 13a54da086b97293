"""R-P5: importing a checked roster into a plan: what is stored, what replaces what, the rules
on only importing good rows, and the plan's history."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile

from assessments.models import ExamineeCategory, RosterEntry, RosterImport
from assessments.rosters import services as roster_services
from assessments.rosters.reader import HEADERS
from portal.core.audit import audit_events_for
from portal.core.errors import ServiceError
from tests.assessments.factories import (
    PlanFactory,
    RosterEntryFactory,
    hand_roster,
    id_number,
    roster_xlsx,
    row_values,
)


def test_r_p5_every_column_is_stored_as_read(plan, alice):
    number = next(id_number(n) for n in range(300) if id_number(n).endswith("X"))
    values = row_values(
        9,
        证件号=number.lower(),
        出生日期="1990年1月1日",
        联系电话="138 0013 8000",
        电子邮箱="zhang@example.com",
        是否本企业职工="否",
        所在单位="深圳市南山人力资源服务有限公司",
        人员类别="劳务派遣人员",
        入职时间="2015/3/1",
        职业技能等级="五级",
    )
    outcome = roster_services.roster_import(
        plan=plan, actor=alice, data=hand_roster([values]), filename="名册.xlsx"
    )
    assert (outcome.imported, outcome.left_out) == (1, 0)
    entry = RosterEntry.objects.get(plan=plan)
    assert entry.seq == 1  # renumbered in file order
    assert entry.id_number == number
    assert entry.birth_date == dt.date(1990, 1, 1)
    assert entry.phone == "13800138000"
    assert entry.email == "zhang@example.com"
    assert entry.is_employee is False
    assert entry.employer == "深圳市南山人力资源服务有限公司"
    assert entry.category == ExamineeCategory.DISPATCHED
    assert entry.hired_on == dt.date(2015, 3, 1)
    assert entry.level == 5
    assert (entry.occupation_code, entry.occupation_name, entry.work_type_name) == (
        "6-18-01-01",
        "车工",
        "",
    )
    assert entry.years_in_occupation == "5年"
    assert entry.institution_code == "Y0001"


def test_r_p5_a_file_with_problems_imports_nothing_unless_asked_for_the_good_rows(plan, alice):
    data = roster_xlsx([row_values(1), row_values(2, 联系电话="12345"), row_values(3)])
    with pytest.raises(ServiceError) as raised:
        roster_services.roster_import(plan=plan, actor=alice, data=data, filename="名册.xlsx")
    assert raised.value.message == (
        "有 1 行存在问题：请改正后重新上传，或明确选择只导入无误的 2 行。"
    )
    assert plan.roster.count() == 0
    outcome = roster_services.roster_import(
        plan=plan, actor=alice, data=data, filename="名册.xlsx", only_good=True
    )
    assert (outcome.imported, outcome.left_out) == (2, 1)
    assert list(plan.roster.values_list("seq", "name")) == [(1, "张1"), (2, "张3")]


def test_r_p5_a_file_with_a_file_problem_imports_nothing_even_the_good_rows(plan, alice):
    header = [*HEADERS]
    header[1] = "机构编码"
    data = hand_roster([row_values(1)], header=header)
    with pytest.raises(ServiceError) as raised:
        roster_services.roster_import(
            plan=plan, actor=alice, data=data, filename="名册.xlsx", only_good=True
        )
    assert raised.value.message == "该文件不能作为人员名册导入。"
    assert plan.roster.count() == 0


def test_r_p5_an_import_replaces_the_roster_and_keeps_photos_by_id_number(plan, alice):
    kept = RosterEntryFactory(plan=plan, id_number=id_number(2), name="旧张2")
    kept.photo.save("old.jpg", ContentFile(b"\xff\xd8\xff photo"), save=True)
    RosterEntryFactory(plan=plan, id_number=id_number(50), name="不再参加")
    roster_services.roster_import(
        plan=plan, actor=alice, data=roster_xlsx([row_values(1), row_values(2)]), filename="a.xlsx"
    )
    entries = {entry.id_number: entry for entry in plan.roster.all()}
    assert set(entries) == {id_number(1), id_number(2)}
    assert entries[id_number(2)].name == "张2"
    assert entries[id_number(2)].photo.name == kept.photo.name
    assert not entries[id_number(1)].photo


def test_r_p5_the_import_is_in_the_plan_s_history(plan, alice):
    version = plan.version
    roster_services.roster_import(plan=plan, actor=alice, data=roster_xlsx(3), filename="一期.xlsx")
    event = audit_events_for(plan).get(action="roster_import")
    assert event.actor == alice
    assert event.note == "从“一期.xlsx”导入 3 名考生；未导入 0 行。"
    plan.refresh_from_db()
    assert plan.version == version + 1


def test_r_p5_a_submitted_plan_s_roster_cannot_be_changed(ent_a, alice):
    plan = PlanFactory(enterprise=ent_a, status="submitted")
    with pytest.raises(ServiceError, match="状态时不能修改人员名册。"):
        roster_services.roster_import(plan=plan, actor=alice, data=roster_xlsx(1), filename="a")
    assert plan.roster.count() == 0


def test_r_p5_special_characters_survive_the_import(plan, alice):
    values = row_values(1, 所在岗位="\\N", 姓名="欧阳\t娜娜", 所在单位="南山\n精密")
    roster_services.roster_import(
        plan=plan, actor=alice, data=roster_xlsx([values]), filename="a.xlsx"
    )
    entry = plan.roster.get()
    assert (entry.position, entry.name, entry.employer) == ("\\N", "欧阳\t娜娜", "南山\n精密")


def test_uploads_left_on_their_preview_are_purged_after_a_week(plan, alice):
    from datetime import timedelta

    from django.utils import timezone

    from assessments.tasks import purge_roster_jobs

    old = roster_services.roster_upload(
        plan=plan, actor=alice, data=roster_xlsx(1), filename="a.xlsx"
    )
    recent = roster_services.roster_upload(
        plan=plan, actor=alice, data=roster_xlsx(1), filename="b.xlsx"
    )
    RosterImport.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=8))
    storage, old_file = old.file.storage, old.file.name
    assert purge_roster_jobs.delay().get() == 1
    assert list(RosterImport.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not storage.exists(old_file)
