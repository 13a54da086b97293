"""Structured expert evaluation: each jurisdiction's checklist (items, points, pass mark) as
policy, scored item by item by the assigned expert (seed 002 §六(二), seed 003 §一, seed 001
§六(一)2, seed 004 §二(二)). The world is conftest.py's 北京市 with the Beijing preset."""

import pytest
from django.urls import reverse

from filings.models import ExpertAssignment, FilingStatus
from filings.review import services as review_services
from filings.review.documents import filing_receipt_pdf
from portal.core.models import AuditEvent, Policy
from portal.core.policy import effective_policy
from portal.core.presets import PRESETS
from tests.filings.review.jurisdictions import fresh, submitted
from tests.support.factories import complete_filing, make_member
from tests.support.pdfs import pdf_text_without_spaces

BEIJING_ITEMS = [
    "企业基本情况",
    "人力资源管理制度",
    "经费保障措施",
    "认定工作机构及质量保障体系",
    "认定场地、设备设施",
    "信息化建设",
]
# Points of the Beijing preset, in order: 15, 20, 15, 20, 20, 10.
GOOD = [14, 18, 13, 18, 19, 9]  # 91


@pytest.fixture
def expert(places):
    return make_member("bj-expert", "expert", bureau=places["beijing"])


@pytest.fixture
def assigned(friday, places, staff, expert):
    """A 市属 filing of 朝阳区 at 北京市's centre, its expert assigned."""
    filing = submitted(places["chaoyang"], "city")
    assert filing.status == FilingStatus.CITY_REVIEW
    review_services.filing_assign_experts(filing=filing, actor=staff["bj1"], experts=[expert])
    return fresh(filing)


def opinion_post(scores, *, recommendation="approve", reason="", notes=None, version=None):
    data = {
        "visited_on": "2026-10-09",
        "recommendation": recommendation,
        "opinion": "六项评估内容均符合要求，建议备案。",
        "below_pass_reason": reason,
    }
    if version is not None:
        data["version"] = str(version)
    for index, score in enumerate(scores):
        data[f"item_{index}_score"] = "" if score is None else str(score)
        data[f"item_{index}_note"] = (notes or {}).get(index, "")
    return data


def post_opinion(client, user, filing, data):
    client.force_login(user)
    return client.post(f"/filings/{filing.pk}/opinion/", data)


def test_seed002_s6_2_beijing_expert_scores_six_items_and_total_is_weighted(
    client, assigned, expert, staff
):
    client.force_login(expert)
    page = client.get(f"/filings/{assigned.pk}/opinion/").content.decode()
    for name in BEIJING_ITEMS:
        assert name in page
    assert "企业基本情况得分（0–15）" in page and "信息化建设得分（0–10）" in page
    assert "合格分为60分" in page
    assert 'name="score"' not in page  # no single score under a checklist

    data = opinion_post(GOOD, notes={4: "实训基地两处，工位充足。"}, version=assigned.version)
    response = post_opinion(client, expert, assigned, data)
    assert response.status_code == 302
    row = ExpertAssignment.objects.get(expert=expert)
    assert row.score == 91
    assert [item["score"] for item in row.checklist["items"]] == GOOD
    assert row.checklist["items"][4]["note"] == "实训基地两处，工位充足。"

    # The reviewing bureau reads each item's score and note beside the total.
    client.force_login(staff["bj1"])
    detail = client.get(f"/filings/{assigned.pk}/").content.decode()
    assert "认定工作机构及质量保障体系" in detail and "实训基地两处，工位充足。" in detail
    assert "合格分 60" in detail and "91" in detail
    note = AuditEvent.objects.filter(action="expert_opinion").latest("id").note
    assert "企业基本情况 14/15" in note and "总分 91，合格分 60" in note


def test_seed002_s6_2_a_missing_item_score_or_one_above_its_points_is_refused_naming_the_item(
    client, assigned, expert
):
    scores = [14, None, 13, 21, 19, 9]
    response = post_opinion(client, expert, assigned, opinion_post(scores))
    assert response.status_code == 200
    text = response.content.decode()
    assert "请填写“人力资源管理制度”的得分（0–20）。" in text
    assert "“认定工作机构及质量保障体系”的得分超过该项满分20分。" in text
    assert 'value="21"' in text  # the input is kept
    assert ExpertAssignment.objects.get(expert=expert).submitted_at is None


def test_seed002_s6_2_approval_below_the_pass_mark_needs_the_experts_reason(
    client, assigned, expert, staff
):
    low = [8, 10, 8, 10, 10, 4]  # 50 < 60
    response = post_opinion(client, expert, assigned, opinion_post(low))
    assert response.status_code == 200
    assert "总分50分低于合格分60分：建议予以备案须说明理由" in response.content.decode()
    assert ExpertAssignment.objects.get(expert=expert).submitted_at is None

    reason = "场地正在扩建，三个月内可达标。"
    response = post_opinion(client, expert, assigned, opinion_post(low, reason=reason))
    assert response.status_code == 302
    row = ExpertAssignment.objects.get(expert=expert)
    assert row.score == 50 and row.below_pass_reason == reason
    client.force_login(staff["bj1"])
    detail = client.get(f"/filings/{assigned.pk}/").content.decode()
    assert "未达合格分" in detail and reason in detail

    # A rejection below the pass mark needs no such reason.
    response = post_opinion(client, expert, assigned, opinion_post(low, recommendation="reject"))
    assert response.status_code == 302
    assert ExpertAssignment.objects.get(expert=expert).below_pass_reason == ""


def test_seed002_s6_2_a_later_policy_change_does_not_rewrite_the_assigned_experts_checklist(
    client, assigned, expert, places, staff
):
    Policy.objects.filter(bureau=places["beijing"]).update(
        expert_checklist={
            "items": [{"name": "综合评价", "weight": 100, "description": ""}],
            "pass_mark": 70,
        }
    )
    client.force_login(expert)
    page = client.get(f"/filings/{assigned.pk}/opinion/").content.decode()
    assert "企业基本情况" in page and "综合评价" not in page
    post_opinion(client, expert, assigned, opinion_post(GOOD))
    assert ExpertAssignment.objects.get(expert=expert).score == 91

    # An expert assigned now scores the checklist in force now.
    second = make_member("bj-expert2", "expert", bureau=places["beijing"])
    review_services.filing_assign_experts(filing=assigned, actor=staff["bj1"], experts=[second])
    assert [i["name"] for i in ExpertAssignment.objects.get(expert=second).checklist["items"]] == [
        "综合评价"
    ]


def test_seed002_s6_2_an_opinion_on_an_older_version_of_the_filing_is_refused_and_kept(
    client, assigned, expert, places, staff
):
    opened = assigned.version
    other = make_member("bj-expert3", "expert", bureau=places["beijing"])
    review_services.filing_assign_experts(filing=assigned, actor=staff["bj1"], experts=[other])
    response = post_opinion(client, expert, assigned, opinion_post(GOOD, version=opened))
    assert response.status_code == 200
    text = response.content.decode()
    assert "您打开表单后，他人已修改了该记录" in text
    assert 'value="18"' in text
    assert ExpertAssignment.objects.get(expert=expert).submitted_at is None
    # Submitted again from the kept form, against the current version, it is recorded.
    again = opinion_post(GOOD, version=fresh(assigned).version)
    assert post_opinion(client, expert, assigned, again).status_code == 302


def test_seed002_s6_2_the_receipt_prints_the_item_scores_and_notes(
    client, assigned, expert, staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    data = opinion_post(GOOD, notes={5: "视频监控全覆盖"})
    post_opinion(client, expert, assigned, data)
    review_services.filing_approve(filing=fresh(assigned), actor=staff["bj1"], note="拟同意")
    review_services.filing_confirm(filing=fresh(assigned), actor=staff["bj2"])
    text = pdf_text_without_spaces(filing_receipt_pdf(fresh(assigned)))
    assert "专家评估" in text
    for name in BEIJING_ITEMS:
        assert name in text
    assert "总分91（合格分60）" in text and "视频监控全覆盖" in text


def test_seed002_s6_2_policy_page_sets_the_checklist_line_by_line_with_precise_errors(
    client, places
):
    admin = make_member("bj-admin", "city", bureau=places["beijing"], is_admin=True)
    client.force_login(admin)
    url = reverse("city_policy_edit")
    page = client.get(url).content.decode()
    assert "企业基本情况 | 15 |" in page  # the preset's items, one a line
    assert "〔2020〕3号） §六(二)" in page  # the notice and section cited beside the value
    row = Policy.objects.get(bureau=places["beijing"])

    def post(text, pass_mark):
        data = {
            "version": row.version,
            "expert_checklist": text,
            "expert_checklist_pass_mark": pass_mark,
        }
        return client.post(url, data)

    bad = "企业基本情况 | 50\n企业基本情况 | 30\n经费保障措施\n场地 | 十"
    text = post(bad, "60").content.decode()
    assert "第2行：项目“企业基本情况”重复，各项目名称须不同。" in text
    assert "第3行：“经费保障措施”缺少分值" in text
    assert "第4行：“场地”的分值须为1至100的整数，不能是“十”。" in text
    text = post("企业基本情况 | 50\n经费保障措施 | 30", "60").content.decode()
    assert "各项分值之和须为100，现为80。" in text
    assert "企业基本情况 | 50" in text  # what was typed is kept
    text = post("企业基本情况 | 50\n经费保障措施 | 50", "150").content.decode()
    assert "不得大于 100" in text

    response = post("企业基本情况 | 40 | 依法注册\n经费保障措施 | 60", "70")
    assert response.status_code == 302
    checklist = effective_policy(places["beijing"]).expert_checklist
    assert checklist == {
        "items": [
            {"name": "企业基本情况", "weight": 40, "description": "依法注册"},
            {"name": "经费保障措施", "weight": 60, "description": ""},
        ],
        "pass_mark": 70,
    }
    note = AuditEvent.objects.filter(action="policy_edit").latest("id").note
    assert "企业基本情况 40分、经费保障措施 60分；合格分 70" in note


def test_seed002_s6_2_without_a_checklist_the_expert_gives_a_single_score(
    client, friday, places, staff, expert
):
    Policy.objects.filter(bureau=places["beijing"]).update(expert_checklist=None)
    filing = submitted(places["chaoyang"], "city")
    review_services.filing_assign_experts(filing=filing, actor=staff["bj1"], experts=[expert])
    client.force_login(expert)
    page = client.get(f"/filings/{filing.pk}/opinion/").content.decode()
    assert 'name="score"' in page and "企业基本情况" not in page


def test_seed003_s1_foshan_checklist_covers_standards_courses_question_banks_and_funds():
    checklist = PRESETS["foshan"].values["expert_checklist"]
    names = [item["name"] for item in checklist["items"]]
    assert "标准、课程和题库开发能力" in names and "财务制度和职工教育经费保障" in names
    assert sum(item["weight"] for item in checklist["items"]) == 100
    assert PRESETS["foshan"].sources["expert_checklist"].startswith("seed 003 §一")


def test_seed002_s6_2_beijing_preset_names_the_six_items_of_the_notice():
    checklist = PRESETS["beijing"].values["expert_checklist"]
    assert [item["name"] for item in checklist["items"]] == BEIJING_ITEMS
    assert sum(item["weight"] for item in checklist["items"]) == 100
    assert PRESETS["beijing"].sources["expert_checklist"] == "seed 002 §六(二)"


def test_seed001_s6_1_2_shenzhen_experts_score_the_on_site_conditions_not_beijings_items(
    client, world, ent_b, carl, erin
):
    filing = complete_filing(ent_b, status="city_review")
    review_services.filing_assign_experts(filing=filing, actor=carl, experts=[erin])
    client.force_login(erin)
    page = client.get(f"/filings/{filing.pk}/opinion/").content.decode()
    assert "场地设备与工位得分（0–30）" in page
    assert "评价管理人员与考评、督导队伍得分（0–30）" in page
    assert "企业基本情况" not in page
    assert PRESETS["shenzhen"].sources["expert_checklist"].startswith("seed 001 §六(一)2")


def test_seed004_s2_2_shandong_names_no_items_so_its_cities_may_set_their_own():
    # The provincial and city centres evaluate, but the notice names no items: the experts give
    # a single score until a city sets a checklist.
    assert "expert_checklist" not in PRESETS["shandong"].values
    assert "expert_checklist" in PRESETS["shandong"].delegated


def test_seed004_s2_2_taian_sets_its_own_checklist_and_its_experts_score_it(
    client, friday, places, staff
):
    admin = make_member("ta-admin", "city", bureau=places["taian"], is_admin=True)
    client.force_login(admin)
    url = reverse("city_policy_edit")
    assert "专家评估项目及分值" in client.get(url).content.decode()  # delegated by the province
    row = Policy.objects.get_or_create(bureau=places["taian"])[0]
    data = {
        "version": row.version,
        "expert_checklist": "场地设备 | 50\n考评人员 | 50",
        "expert_checklist_pass_mark": "60",
    }
    assert client.post(url, data).status_code == 302
    filing = submitted(places["taishan"])
    assert filing.status == FilingStatus.CITY_REVIEW and filing.reviewing_bureau == places["taian"]
    expert = make_member("ta-expert", "expert", bureau=places["taian"])
    review_services.filing_assign_experts(filing=filing, actor=staff["ta"], experts=[expert])
    client.force_login(expert)
    page = client.get(f"/filings/{filing.pk}/opinion/").content.decode()
    assert "场地设备得分（0–50）" in page and "考评人员得分（0–50）" in page
