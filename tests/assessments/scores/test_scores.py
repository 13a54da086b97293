"""Scores (R-S2, R-S3): the grid, the score sheet and its import, the export of results.

alice records the scores of her enterprise's plan once the city has acknowledged it, until the
results go to publicity; dora (南山) and carl (the city) read them; nobody else sees them.
"""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import ExamineeScore, ResultBatch, RosterEntry
from assessments.results.scoring import ScoreInput
from assessments.scores import services as score_services
from portal.core.errors import ServiceError
from portal.core.masking import mask_id
from portal.core.models import AuditEvent
from tests.assessments.factories import PlanFactory, RosterEntryFactory
from tests.assessments.scores.factories import acknowledged_plan_with_roster, score_xlsx

KINDS = ("theory", "practical", "safety")
HEADER = ["序号", "姓名", "证件号", "理论知识", "操作技能", "安全生产", "安全一票否决"]
DIRECT_HEADERS = ["直接认定", "直接认定依据"]


@pytest.fixture
def plan(ent_a):
    return acknowledged_plan_with_roster(ent_a)


def entries(plan) -> list[RosterEntry]:
    return list(plan.roster.order_by("seq"))


def grid_data(plan, rows: dict, *, version=None, page_entries=None) -> dict:
    """The grid's post: rows = {index on the page: {"theory": "80", "violation": True, …}}."""
    page_entries = page_entries if page_entries is not None else entries(plan)
    data = {
        "version": plan.version if version is None else version,
        "page": "1",
        "entries": ",".join(str(entry.pk) for entry in page_entries),
    }
    for index, entry in enumerate(page_entries):
        row = rows.get(index, {})
        for kind in KINDS:
            data[f"{entry.pk}-{kind}"] = row.get(kind, "")
        if row.get("violation"):
            data[f"{entry.pk}-safety_violation"] = "on"
        if row.get("direct"):
            data[f"{entry.pk}-direct_recognition"] = "on"
        data[f"{entry.pk}-evidence"] = row.get("evidence", "")
    return data


def post_grid(client, plan, rows: dict, **kwargs):
    return client.post(
        reverse("score_grid", args=[plan.pk]), grid_data(plan, rows, **kwargs), follow=True
    )


def stored(entry: RosterEntry) -> dict:
    return {s.component: s.score for s in ExamineeScore.objects.filter(entry=entry)}


def sheet_rows(content: bytes, index: int = 0) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content))
    return list(workbook.worksheets[index].iter_rows(values_only=True))


def upload(client, plan, data: bytes, name: str = "成绩表.xlsx"):
    return client.post(
        reverse("score_import", args=[plan.pk]),
        {"file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def person(entry: RosterEntry) -> list:
    """The examinee as the portal's sheets show them: the ID number masked (PIPL)."""
    return [entry.seq, entry.name, mask_id(entry.id_number)]


# The grid ----------------------------------------------------------------------------------


def test_r_s2_alice_records_scores_in_the_grid_and_each_result_is_stored(client, alice, plan):
    client.force_login(alice)
    first, second, third = entries(plan)
    page = client.get(reverse("score_grid", args=[plan.pk])).content.decode()
    assert first.name in page and mask_id(third.id_number) in page
    assert third.id_number not in page
    assert f'name="{first.pk}-theory"' in page
    version = plan.version
    response = post_grid(
        client,
        plan,
        {
            0: {"theory": "80", "practical": "90", "safety": "70"},
            1: {"theory": "50", "practical": "90.5", "safety": "70"},
            2: {"theory": "88", "practical": "", "safety": "66"},
        },
    )
    text = response.content.decode()
    assert "已保存：3 名考生有变化，其认定结果已更新。" in text
    first.refresh_from_db()
    second.refresh_from_db()
    third.refresh_from_db()
    assert (first.total_score, first.result) == (Decimal("83.00"), "passed")
    assert (second.total_score, second.result) == (Decimal("74.25"), "failed")
    assert second.result_reason == "理论知识 50 分，低于合格分数线 60 分"
    assert (third.total_score, third.result) == (None, "pending")
    assert third.result_reason == "尚缺操作技能成绩。"
    assert stored(second) == {"theory": 50, "practical": Decimal("90.5"), "safety": 70}
    assert ExamineeScore.objects.filter(entry__plan=plan).count() == 8
    plan.refresh_from_db()
    assert plan.version == version + 1
    assert "不合格" in text and "合格" in text and "待定" in text
    assert "理论知识 50 分，低于合格分数线 60 分" in text
    event = AuditEvent.objects.get(action="scores_save", object_id=plan.pk)
    assert event.actor == alice
    assert first.name in event.note and "3 名考生" in event.note
    assert "录入成绩" in text  # the history of the page


def test_r_s2_every_bad_cell_names_the_examinee_and_the_component_and_nothing_is_lost(
    client, alice, plan
):
    client.force_login(alice)
    first, second, third = entries(plan)
    version = plan.version
    response = post_grid(
        client,
        plan,
        {
            0: {"theory": "abc", "practical": "90", "safety": "70"},
            1: {"theory": "80", "practical": "101", "safety": "85.555"},
            2: {"theory": "80", "practical": "80", "safety": "80", "direct": True},
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "未保存：有 4 处输入需要改正，已在下方标出。" in text
    assert f"{first.name}（序号 {first.seq}），理论知识：“abc”不是数字" in text
    assert f"{second.name}（序号 {second.seq}），操作技能：101 大于100" in text
    assert f"{second.name}（序号 {second.seq}），安全生产：85.555 超过两位小数" in text
    assert f"{third.name}（序号 {third.seq}），直接认定：请写明直接认定的依据。" in text
    # What was typed is shown again, the good cells too.
    assert f'name="{first.pk}-theory" value="abc"' in text
    assert f'name="{first.pk}-practical" value="90"' in text
    assert f'name="{third.pk}-direct_recognition" aria-label' in text
    assert "checked>" in text
    assert ExamineeScore.objects.filter(entry__plan=plan).count() == 0
    plan.refresh_from_db()
    assert plan.version == version
    assert not AuditEvent.objects.filter(action="scores_save").exists()


def test_a_stale_grid_is_refused_the_input_kept_and_the_stored_values_shown(client, alice, plan):
    client.force_login(alice)
    first = entries(plan)[0]
    opened_at = plan.version
    post_grid(client, plan, {0: {"theory": "70", "practical": "70", "safety": "70"}})
    response = post_grid(
        client, plan, {0: {"theory": "95", "practical": "70", "safety": "70"}}, version=opened_at
    )
    text = response.content.decode()
    assert "您打开表单后，他人已修改了该记录。" in text
    assert f'name="{first.pk}-theory" value="95"' in text
    assert "当前已保存： 70" in text
    assert stored(first)["theory"] == 70
    plan.refresh_from_db()
    # The page now carries the current version: saving again applies the kept input.
    assert f'name="version" value="{plan.version}"' in text
    post_grid(client, plan, {0: {"theory": "95", "practical": "70", "safety": "70"}})
    assert stored(first)["theory"] == 95


def test_r_s2_an_emptied_cell_removes_the_score_and_the_result_is_pending_again(
    client, alice, plan
):
    client.force_login(alice)
    first = entries(plan)[0]
    post_grid(client, plan, {0: {"theory": "70", "practical": "70", "safety": "70"}})
    plan.refresh_from_db()
    post_grid(client, plan, {0: {"theory": "70", "practical": "", "safety": "70"}})
    first.refresh_from_db()
    assert stored(first) == {"theory": 70, "safety": 70}
    assert (first.result, first.total_score) == ("pending", None)


def test_r_s3_a_serious_safety_violation_fails_the_examinee_whatever_the_scores(
    client, alice, plan
):
    client.force_login(alice)
    first = entries(plan)[0]
    text = post_grid(
        client,
        plan,
        {0: {"theory": "100", "practical": "100", "safety": "100", "violation": True}},
    ).content.decode()
    first.refresh_from_db()
    assert first.safety_violation
    assert first.result == "failed"
    assert first.result_reason.startswith("安全一票否决")
    assert "安全一票否决：期间内在工作岗位上有严重违反安全生产行为" in text


def test_r_s2_a_direct_recognition_candidate_with_evidence_passes(client, alice, plan):
    client.force_login(alice)
    first = entries(plan)[0]
    post_grid(client, plan, {0: {"direct": True, "evidence": "2025年全国职业技能大赛车工金牌"}})
    first.refresh_from_db()
    assert first.direct_recognition
    assert first.direct_recognition_evidence == "2025年全国职业技能大赛车工金牌"
    assert (first.result, first.result_reason) == ("passed", "直接认定。")
    page = client.get(reverse("score_grid", args=[plan.pk])).content.decode()
    assert 'value="2025年全国职业技能大赛车工金牌"' in page


def test_r_s2_evidence_without_the_candidate_box_is_not_kept(client, alice, plan):
    client.force_login(alice)
    first = entries(plan)[0]
    post_grid(client, plan, {0: {"theory": "70", "practical": "70", "evidence": "优秀员工"}})
    first.refresh_from_db()
    assert not first.direct_recognition
    assert first.direct_recognition_evidence == ""


def test_r_s2_without_direct_recognition_in_the_scheme_the_grid_offers_none(client, alice, ent_a):
    plan = acknowledged_plan_with_roster(ent_a, methods=("theory_exam", "practical"))
    client.force_login(alice)
    page = client.get(reverse("score_grid", args=[plan.pk])).content.decode()
    assert "评价方案未规定直接认定" in page
    assert "直接认定及依据" not in page
    first = entries(plan)[0]
    post_grid(
        client,
        plan,
        {0: {"theory": "30", "practical": "70", "safety": "70", "direct": True, "evidence": "x"}},
    )
    first.refresh_from_db()
    assert (first.direct_recognition, first.result) == (False, "failed")
    with pytest.raises(ServiceError) as refused:
        score_services.scores_save(
            plan=plan,
            actor=alice,
            rows=[
                ScoreInput(
                    entry_id=first.pk,
                    scores=dict.fromkeys(KINDS),
                    direct_recognition=True,
                    evidence="全国技术能手",
                )
            ],
            expected_version=None,
        )
    assert "未规定直接认定" in refused.value.message


def test_r_s3_without_a_veto_in_the_scheme_the_violation_is_recorded_and_scores_decide(
    client, alice, ent_a
):
    components = (("theory", 40, 60, False), ("practical", 60, 60, False))
    plan = acknowledged_plan_with_roster(ent_a, components=components, size=1)
    client.force_login(alice)
    entry = entries(plan)[0]
    client.post(
        reverse("score_grid", args=[plan.pk]),
        {
            "version": plan.version,
            "page": "1",
            "entries": str(entry.pk),
            f"{entry.pk}-theory": "70",
            f"{entry.pk}-practical": "80",
            f"{entry.pk}-safety_violation": "on",
        },
    )
    entry.refresh_from_db()
    assert entry.safety_violation
    assert (entry.result, entry.total_score) == ("passed", Decimal("76.00"))


def test_a_save_that_changes_nothing_writes_no_history(client, alice, plan):
    client.force_login(alice)
    rows = {0: {"theory": "70", "practical": "70", "safety": "70"}}
    post_grid(client, plan, rows)
    plan.refresh_from_db()
    text = post_grid(client, plan, rows).content.decode()
    assert "已保存：0 名考生有变化" in text
    assert AuditEvent.objects.filter(action="scores_save").count() == 1


def test_the_grid_is_paginated_and_saves_only_the_posted_page(client, alice, ent_a):
    plan = acknowledged_plan_with_roster(ent_a, size=101)
    client.force_login(alice)
    first_page = client.get(reverse("score_grid", args=[plan.pk])).content.decode()
    roster = entries(plan)
    assert f'name="{roster[99].pk}-theory"' in first_page
    assert f'name="{roster[100].pk}-theory"' not in first_page
    second_page = client.get(reverse("score_grid", args=[plan.pk]) + "?page=2").content.decode()
    assert f'name="{roster[100].pk}-theory"' in second_page
    data = grid_data(
        plan, {0: {"theory": "61", "practical": "62", "safety": "63"}}, page_entries=roster[100:]
    )
    data["page"] = "2"
    response = client.post(reverse("score_grid", args=[plan.pk]), data)
    assert response["Location"].endswith("?page=2")
    assert stored(roster[100]) == {"theory": 61, "practical": 62, "safety": 63}
    assert ExamineeScore.objects.filter(entry__plan=plan).count() == 3


def test_a_post_naming_an_examinee_of_another_plan_is_refused(client, alice, ent_a, plan):
    other = acknowledged_plan_with_roster(ent_a, size=1)
    client.force_login(alice)
    data = grid_data(plan, {}, page_entries=entries(other))
    assert client.post(reverse("score_grid", args=[plan.pk]), data).status_code == 404


# Who may do what ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
def test_scores_wait_for_the_city_to_acknowledge_the_plan(client, alice, ent_a, status):
    plan = PlanFactory(enterprise=ent_a, status=status)
    RosterEntryFactory(plan=plan)
    client.force_login(alice)
    for name in ("score_grid", "score_template", "score_import", "score_export"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404
    assert client.post(reverse("score_grid", args=[plan.pk])).status_code == 404


@pytest.mark.parametrize("status", ["publicised", "submitted", "approved"])
def test_scores_are_read_only_once_the_results_are_publicised(client, alice, plan, status):
    ResultBatch.objects.create(plan=plan, status=status)
    client.force_login(alice)
    page = client.get(reverse("score_grid", args=[plan.pk])).content.decode()
    assert "只有在结果整理中或被退回修改后才能修改成绩" in page
    assert 'type="text"' not in page
    response = post_grid(client, plan, {0: {"theory": "99", "practical": "99", "safety": "99"}})
    assert "只有在结果整理中或被退回修改后才能修改成绩" in response.content.decode()
    assert ExamineeScore.objects.count() == 0
    assert client.get(reverse("score_template", args=[plan.pk])).status_code == 404
    assert client.get(reverse("score_import", args=[plan.pk])).status_code == 404
    assert client.get(reverse("score_export", args=[plan.pk])).status_code == 200


def test_the_service_refuses_scores_once_the_results_are_publicised(alice, plan):
    ResultBatch.objects.create(plan=plan, status="publicised")
    first = entries(plan)[0]
    with pytest.raises(ServiceError) as refused:
        score_services.scores_save(
            plan=plan,
            actor=alice,
            rows=[ScoreInput(entry_id=first.pk, scores=dict.fromkeys(KINDS))],
            expected_version=None,
        )
    assert refused.value.message.startswith("认定结果目前为")
    assert "只有在结果整理中或被退回修改后才能修改成绩" in refused.value.message


@pytest.mark.parametrize("status", ["draft", "returned"])
def test_scores_may_change_while_the_results_are_prepared_or_were_returned(
    client, alice, plan, status
):
    ResultBatch.objects.create(plan=plan, status=status)
    client.force_login(alice)
    post_grid(client, plan, {0: {"theory": "70", "practical": "70", "safety": "70"}})
    assert stored(entries(plan)[0]) == {"theory": 70, "practical": 70, "safety": 70}


@pytest.mark.parametrize("reviewer", ["dora", "carl"])
def test_reviewers_read_the_grid_but_cannot_change_it(client, request, plan, reviewer):
    user = request.getfixturevalue(reviewer)
    client.force_login(user)
    first = entries(plan)[0]
    page = client.get(reverse("score_grid", args=[plan.pk])).content.decode()
    assert first.name in page
    assert 'type="text"' not in page and "保存本页成绩" not in page
    assert "下载成绩表" not in page
    assert client.get(reverse("score_export", args=[plan.pk])).status_code == 200
    response = client.post(reverse("score_grid", args=[plan.pk]), grid_data(plan, {}))
    assert response.status_code == 404
    assert client.get(reverse("score_template", args=[plan.pk])).status_code == 404
    assert client.get(reverse("score_import", args=[plan.pk])).status_code == 404


@pytest.mark.parametrize("outsider", ["bob", "fred", "olga", "erin", "sam"])
def test_nobody_else_sees_the_scores(client, request, plan, outsider):
    client.force_login(request.getfixturevalue(outsider))
    for name in ("score_grid", "score_template", "score_import", "score_export"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404


# Bounded queries ---------------------------------------------------------------------------

# Session, user, membership, the plan, its scheme's components, its result batch, the page of
# examinees and their scores, the counts of results, the history; writes in bulk. An export
# also writes the audit row of the file sent.
GRID_QUERIES = 12
SAVE_QUERIES = 22
IMPORT_QUERIES = 24  # SQLite splits the bulk writes of 200 examinees into a few statements
EXPORT_QUERIES = 8


@pytest.mark.parametrize("size", [1, 200])
def test_the_grid_page_costs_the_same_queries_for_1_or_200_examinees(
    client, alice, ent_a, size, django_assert_max_num_queries
):
    plan = acknowledged_plan_with_roster(ent_a, size=size)
    for entry in entries(plan):
        for kind in KINDS:
            ExamineeScore.objects.create(entry=entry, component=kind, score=70)
    client.force_login(alice)
    with django_assert_max_num_queries(GRID_QUERIES):
        response = client.get(reverse("score_grid", args=[plan.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 200])
def test_saving_a_page_costs_the_same_queries_for_1_or_200_examinees(
    client, alice, ent_a, size, django_assert_max_num_queries
):
    plan = acknowledged_plan_with_roster(ent_a, size=size)
    page = entries(plan)[:100]
    rows = {
        index: {"theory": "70", "practical": "80", "safety": "90"} for index in range(len(page))
    }
    client.force_login(alice)
    with django_assert_max_num_queries(SAVE_QUERIES):
        response = client.post(
            reverse("score_grid", args=[plan.pk]), grid_data(plan, rows, page_entries=page)
        )
    assert response.status_code == 302
    assert ExamineeScore.objects.filter(entry__plan=plan).count() == 3 * len(page)
    assert RosterEntry.objects.filter(plan=plan, result="passed").count() == len(page)


@pytest.mark.parametrize("size", [1, 200])
def test_the_export_costs_the_same_queries_for_1_or_200_examinees(
    client, dora, ent_a, size, django_assert_max_num_queries
):
    plan = acknowledged_plan_with_roster(ent_a, size=size)
    client.force_login(dora)
    with django_assert_max_num_queries(EXPORT_QUERIES):
        response = client.get(reverse("score_export", args=[plan.pk]))
    assert len(sheet_rows(response.content)) == size + 1


@pytest.mark.parametrize("size", [1, 200])
def test_importing_costs_the_same_queries_for_1_or_200_examinees(
    client, alice, ent_a, size, django_assert_max_num_queries
):
    plan = acknowledged_plan_with_roster(ent_a, size=size)
    rows = [[*person(e), 70, 80, 90, "否", "否", ""] for e in entries(plan)]
    data = score_xlsx(rows, header=HEADER + DIRECT_HEADERS)
    client.force_login(alice)
    with django_assert_max_num_queries(IMPORT_QUERIES):
        response = client.post(
            reverse("score_import", args=[plan.pk]), {"file": SimpleUploadedFile("s.xlsx", data)}
        )
    assert response.status_code == 302
    assert RosterEntry.objects.filter(plan=plan, result="passed").count() == size


# The score sheet ---------------------------------------------------------------------------


def test_r_s2_the_score_sheet_lists_the_roster_and_one_column_per_component(client, alice, plan):
    first, second, _third = entries(plan)
    ExamineeScore.objects.create(entry=first, component="theory", score=Decimal("88.5"))
    RosterEntry.objects.filter(pk=second.pk).update(safety_violation=True)
    client.force_login(alice)
    response = client.get(reverse("score_template", args=[plan.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "%E6%88%90%E7%BB%A9%E8%A1%A8.xlsx" in response["Content-Disposition"]  # 成绩表.xlsx
    rows = sheet_rows(response.content)
    assert rows[0][0] == f"{plan.title} 成绩表"
    assert rows[1][0] == (
        "理论知识：权重30%，合格分数线60；操作技能：权重50%，合格分数线60；"
        "安全生产：权重20%，合格分数线60，一票否决"
    )
    assert list(rows[2]) == [*HEADER, *DIRECT_HEADERS, "职业技能等级"]
    assert list(rows[3]) == [*person(first), 88.5, None, None, "否", "否", None, "四级/中级工"]
    assert rows[4][6] == "是"
    assert isinstance(rows[3][2], str) and len(rows[3][2]) == 18
    notes = [row[0] for row in sheet_rows(response.content, 1)]
    assert notes[0] == "成绩表填写说明"
    assert any("不得使用公式" in note for note in notes)
    assert any(note.startswith("直接认定：") for note in notes)


def test_r_s2_the_score_sheet_has_no_direct_recognition_columns_when_the_scheme_has_none(
    client, alice, ent_a
):
    plan = acknowledged_plan_with_roster(ent_a, methods=("theory_exam", "practical"))
    client.force_login(alice)
    rows = sheet_rows(client.get(reverse("score_template", args=[plan.pk])).content)
    assert list(rows[2]) == [*HEADER, "职业技能等级"]


def test_r_s2_the_filled_in_score_sheet_is_imported_and_results_stored(client, alice, plan):
    client.force_login(alice)
    template = client.get(reverse("score_template", args=[plan.pk])).content
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    for column, value in zip("DEFG", [80, 90, 70, "否"], strict=True):
        sheet[f"{column}4"] = value
    for column, value in zip("DEFG", ["59", "90", "70", "否"], strict=True):
        sheet[f"{column}5"] = value
    sheet["G6"], sheet["H6"], sheet["I6"] = "否", "是", "省级技术能手"
    buffer = io.BytesIO()
    workbook.save(buffer)
    text = upload(client, plan, buffer.getvalue()).content.decode()
    assert "成绩表已导入：3 名考生有变化，其认定结果已更新。" in text
    first, second, third = entries(plan)
    assert (first.result, first.total_score) == ("passed", Decimal("83.00"))
    assert second.result == "failed" and "理论知识 59 分" in second.result_reason
    assert (third.result, third.direct_recognition_evidence) == ("passed", "省级技术能手")
    event = AuditEvent.objects.get(action="scores_import")
    assert event.actor == alice
    assert "从Excel导入成绩" in client.get(reverse("score_grid", args=[plan.pk])).content.decode()


def test_r_s2_every_problem_of_the_file_is_listed_with_row_and_column_and_nothing_written(
    client, alice, plan
):
    from tests.assessments.factories import Formula, hand_xlsx, id_number

    client.force_login(alice)
    first, second, third = entries(plan)
    stranger = id_number(900)
    sheet = {
        1: ["成绩录入表"],
        2: HEADER + DIRECT_HEADERS,
        3: [*person(first), Formula("SUM(1,2)", "3"), 90, 70, "否", "否", ""],
        4: [*person(second)[:1], "李四", second.id_number, "abc", 105, 70, "也许", "否", ""],
        5: [99, "王五", stranger, 70, 70, 70, "否", "否", ""],
        6: [*person(third), 70, 70, 70, "否", "是", ""],
        7: [*person(third), 70, 70, 70, "否", "否", ""],
    }
    response = upload(client, plan, hand_xlsx(sheet))
    text = response.content.decode()
    assert "未导入任何数据：文件中有 8 处问题" in text
    expected = [
        ("第 3 行", "D 列", "理论知识", "单元格 D3 含有公式（=SUM(1,2)），成绩表只接受数值"),
        ("第 4 行", "B 列", "姓名", f"“李四”与人员名册中证件号 {mask_id(second.id_number)} 的姓名"),
        ("第 4 行", "D 列", "理论知识", "“abc”不是数字"),
        ("第 4 行", "E 列", "操作技能", "105 大于100；成绩应在0至100之间。"),
        ("第 4 行", "G 列", "安全一票否决", "“也许”既不是“是”也不是“否”。"),
        ("第 5 行", "C 列", "证件号", f"{mask_id(stranger)} 不在本计划的人员名册中"),
        ("第 6 行", "I 列", "直接认定依据", "直接认定人选必填"),
        ("第 7 行", "C 列", "证件号", "该考生已在第 6 行"),
    ]
    for row, column, header, reason in expected:
        assert f"<td>{row}</td>" in text
        assert f"{column} {header}" in text
        assert reason in text
    assert ExamineeScore.objects.count() == 0
    assert not RosterEntry.objects.filter(plan=plan).exclude(result="pending").exists()
    assert not AuditEvent.objects.filter(action="scores_import").exists()


def test_r_s2_a_column_missing_from_the_file_is_named(client, alice, plan):
    client.force_login(alice)
    header = ["序号", "姓名", "证件号", "理论知识", "安全生产", "安全一票否决", *DIRECT_HEADERS]
    rows = [[*person(e), 70, 70, "否", "否", ""] for e in entries(plan)]
    text = upload(client, plan, score_xlsx(rows, header=header)).content.decode()
    assert "表头缺少“操作技能”列" in text
    assert ExamineeScore.objects.count() == 0


def test_r_s2_a_filled_column_for_a_component_the_scheme_lacks_is_refused(client, alice, plan):
    client.force_login(alice)
    first = entries(plan)[0]
    rows = [[*person(first), 70, 70, 70, "否", "否", "", 95]]
    data = score_xlsx(rows, header=[*HEADER, *DIRECT_HEADERS, "职业道德"])
    text = upload(client, plan, data).content.decode()
    assert "本计划的评价方案没有“职业道德”这项评价内容" in text
    assert "J 列" in text


def test_an_id_number_stored_as_a_number_is_refused(client, alice, plan):
    from tests.assessments.factories import hand_xlsx

    client.force_login(alice)
    first = entries(plan)[0]
    sheet = {1: HEADER + DIRECT_HEADERS, 2: [*person(first)[:2], 440305199001010011, 70, 70, 70]}
    text = upload(client, plan, hand_xlsx(sheet)).content.decode()
    assert "证件号以数字形式保存，已丢失位数" in text


def test_a_file_that_is_not_a_workbook_is_refused_by_name(client, alice, plan):
    client.force_login(alice)
    text = upload(client, plan, b"name,score\n", name="scores.csv").content.decode()
    assert "文件不是Excel工作簿（.xlsx）" in text


def test_a_workbook_without_the_header_is_refused(client, alice, plan):
    client.force_login(alice)
    text = upload(client, plan, score_xlsx([["x"]], header=["甲", "乙"])).content.decode()
    assert "前 30 行中未找到表头行" in text


def test_examinees_missing_from_the_file_keep_what_is_recorded(client, alice, plan):
    client.force_login(alice)
    first, second, _third = entries(plan)
    post_grid(client, plan, {1: {"theory": "75", "practical": "75", "safety": "75"}})
    rows = [[*person(first), 70, 80, 90, "否", "否", ""]]
    upload(client, plan, score_xlsx(rows, header=HEADER + DIRECT_HEADERS))
    assert stored(first) == {"theory": 70, "practical": 80, "safety": 90}
    assert stored(second) == {"theory": 75, "practical": 75, "safety": 75}


# The export --------------------------------------------------------------------------------


def test_r_s2_the_export_has_the_grid_columns_the_total_and_the_result(client, alice, dora, plan):
    client.force_login(alice)
    post_grid(
        client,
        plan,
        {
            0: {"theory": "80", "practical": "90", "safety": "70"},
            1: {"theory": "80", "practical": "90", "safety": "70", "violation": True},
        },
    )
    first, second, third = entries(plan)
    client.force_login(dora)
    response = client.get(reverse("score_export", args=[plan.pk]))
    rows = sheet_rows(response.content)
    assert list(rows[0]) == [
        *HEADER,
        *DIRECT_HEADERS,
        "加权总分",
        "认定结果",
        "原因",
        "职业技能等级",
    ]
    assert list(rows[1][:10]) == [*person(first), 80, 90, 70, "否", "否", None, 83]
    assert rows[1][10] == "合格"
    assert rows[2][6] == "是" and rows[2][10] == "不合格"
    assert rows[2][11].startswith("安全一票否决")
    assert rows[3][10] == "待定" and rows[3][9] is None


def test_the_export_can_be_imported_again_and_changes_nothing(client, alice, plan):
    client.force_login(alice)
    post_grid(client, plan, {0: {"theory": "80", "practical": "90", "safety": "70"}})
    export = client.get(reverse("score_export", args=[plan.pk])).content
    text = upload(client, plan, export).content.decode()
    assert "成绩表已导入：0 名考生有变化" in text
    assert stored(entries(plan)[0]) == {"theory": 80, "practical": 90, "safety": 70}
