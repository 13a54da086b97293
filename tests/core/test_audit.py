"""Every state change writes an AuditEvent (actor, from, to, note) and the history reads as words
on the page of the filing or enterprise, for whoever may see that page (R-F5 … R-F7)."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser

from filings.enterprises import services as enterprise_services
from filings.filings import services as filing_services
from filings.models import Filing
from filings.review import services as review_services
from portal.core.audit import audit_events_for, audit_record
from portal.core.errors import ServiceError
from portal.core.models import AuditEvent, default_required_materials
from tests.support.factories import (
    FilingFactory,
    MaterialFactory,
    ScopeLineFactory,
    complete_filing,
    expert_opinion,
    make_member,
    valid_credit_code,
)

D = dt.date


@pytest.fixture(autouse=True)
def _frozen_today(monkeypatch):
    monkeypatch.setattr(filing_services, "_today", lambda: D(2026, 9, 25))
    monkeypatch.setattr(review_services, "_today", lambda: D(2026, 9, 25))


def trail(obj) -> list[tuple]:
    return [
        (e.action, e.actor.username if e.actor else None, e.from_status, e.to_status, e.note)
        for e in audit_events_for(obj)
    ]


def timeline(page: str) -> list[str]:
    """The history entries of a page, whitespace collapsed."""
    block = page[page.index('<ul class="timeline">') :]
    block = block[: block.index("</ul>")]
    items = re.findall(r"<li>(.*?)</li>", block, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip() for item in items]


@pytest.fixture
def approved(ent_a, alice, dora, carl, erin) -> Filing:
    """A filing taken through every step by the people who act on it."""
    data = {
        field: getattr(FilingFactory.build(), field) for field in filing_services.FILING_FACT_FIELDS
    }
    filing = filing_services.filing_create(enterprise=ent_a, actor=alice, data=data)
    ScopeLineFactory(filing=filing)
    for kind in default_required_materials():
        MaterialFactory(filing=filing, kind=kind, uploaded_by=alice)
    filing_services.filing_submit(filing=filing, actor=alice)
    review_services.filing_district_forward(
        filing=filing, actor=dora, opinion="材料齐全，同意上报。"
    )
    review_services.filing_assign_experts(filing=filing, actor=carl, experts=[erin])
    expert_opinion(filing, erin, "场地设备符合要求。")
    review_services.filing_approve(filing=filing, actor=carl, note="同意备案。")
    return Filing.objects.get(pk=filing.pk)


def test_r_f7_every_transition_records_actor_from_to_and_note(approved):
    assert trail(approved) == [
        ("create", "alice", "", "draft", ""),
        ("submit", "alice", "draft", "district_review", ""),
        (
            "district_forward",
            "dora",
            "district_review",
            "city_review",
            "材料齐全，同意上报。",
        ),
        ("assign_experts", "carl", "city_review", "expert_review", "指派专家：erin"),
        (
            "expert_opinion",
            "erin",
            "",
            "",
            # Seed 001 §六(一)2: the Shenzhen preset's checklist, scored item by item.
            "88 准予备案: 场地设备符合要求。 (场地设备与工位 28/30；培养、评价、使用、激励机制 "
            "17/20；技能等级与岗位、薪资挂钩制度 17/20；评价管理人员与考评、督导队伍 26/30；"
            "总分 88，合格分 60)",
        ),
        ("approve", "carl", "expert_review", "approved", "同意备案。"),
    ]


def test_r_f7_return_and_reject_are_recorded_with_their_reason(ent_a, alice, carl, dora):
    filing = complete_filing(ent_a, uploaded_by=alice)
    filing_services.filing_submit(filing=filing, actor=alice)
    review_services.filing_return(filing=filing, actor=dora, reason="营业执照已过期。")
    assert trail(filing)[-1] == (
        "return",
        "dora",
        "district_review",
        "returned",
        "营业执照已过期。",
    )
    filing_services.filing_submit(filing=filing, actor=alice)
    review_services.filing_district_forward(filing=filing, actor=dora, opinion="已补正。")
    review_services.filing_return(filing=filing, actor=carl, reason="请补充题库。")
    assert trail(filing)[-1] == ("return", "carl", "city_review", "returned", "请补充题库。")
    filing_services.filing_submit(filing=filing, actor=alice)
    assert trail(filing)[-1] == ("submit", "alice", "returned", "district_review", "")


def test_a_refused_transition_records_nothing(ent_a, alice, carl):
    filing = complete_filing(ent_a, uploaded_by=alice)
    with pytest.raises(ServiceError):
        review_services.filing_approve(filing=filing, actor=carl)
    assert trail(filing) == []


def test_edits_of_the_draft_are_recorded_with_the_fields_changed(ent_a, alice):
    filing = complete_filing(ent_a, uploaded_by=alice)
    data = {field: getattr(filing, field) for field in filing_services.FILING_FACT_FIELDS}
    data["insured_employees"] = 1500
    filing_services.filing_update(
        filing=filing, actor=alice, data=data, expected_version=filing.version
    )
    # The history names each field by its label, as the form does.
    assert trail(filing) == [("edit", "alice", "", "", "参保职工人数")]


def test_seed004_annex1_an_edit_of_the_application_form_shows_the_new_value_with_its_label(
    ent_a, alice
):
    filing = complete_filing(ent_a, uploaded_by=alice)
    data = {field: getattr(filing, field) for field in filing_services.FILING_FACT_FIELDS}
    data["registration_authority"] = "泰安市市场监督管理局"
    data["contact_mobile"] = "13912345678"
    filing_services.filing_update(
        filing=filing, actor=alice, data=data, expected_version=filing.version
    )
    assert trail(filing) == [
        ("edit", "alice", "", "", "注册登记机构：泰安市市场监督管理局\n联系人手机：13912345678")
    ]


@pytest.mark.parametrize("persona", ["alice", "dora", "carl", "erin"])
def test_r_f7_the_history_shows_on_the_filing_page_for_whoever_may_see_it(
    client, approved, persona, request
):
    client.force_login(request.getfixturevalue(persona))
    entries = timeline(client.get(f"/filings/{approved.pk}/").content.decode())
    assert any("alice · 提交 (草稿 → 区级初审)" in e for e in entries)
    assert any(
        "dora · 区级初审通过并报市级审核 (区级初审 → 市级审核) 材料齐全，同意上报。" in e
        for e in entries
    )
    assert any("carl · 指派专家 (市级审核 → 专家现场评估) 指派专家：erin" in e for e in entries)
    assert any("erin · 专家提交评估意见 88 准予备案: 场地设备符合要求。" in e for e in entries)
    assert any("carl · 准予备案 (专家现场评估 → 已备案) 同意备案。" in e for e in entries)
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} ", entries[0])


@pytest.mark.parametrize("persona", ["bob", "fred", "olga", "sam"])
def test_the_history_is_not_shown_to_anyone_else(client, approved, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(f"/filings/{approved.pk}/").status_code == 404


def test_an_expert_does_not_see_another_experts_opinion_in_the_history(
    client, world, ent_b, carl, erin
):
    ethan = make_member("ethan", "expert", bureau=world["city"])
    filing = complete_filing(ent_b, status="city_review")
    review_services.filing_assign_experts(filing=filing, actor=carl, experts=[erin, ethan])
    for expert, opinion in ((erin, "意见甲：场地合格"), (ethan, "意见乙：题库不足")):
        expert_opinion(filing, expert, opinion, score=80)
    client.force_login(erin)
    page = client.get(f"/filings/{filing.pk}/").content.decode()
    assert "意见甲：场地合格" in page and "意见乙：题库不足" not in page
    client.force_login(carl)
    page = client.get(f"/filings/{filing.pk}/").content.decode()
    assert "意见甲：场地合格" in page and "意见乙：题库不足" in page


def test_an_event_without_a_logged_in_actor_reads_as_the_system(client, alice, ent_a):
    filing = complete_filing(ent_a, uploaded_by=alice)
    event = audit_record(
        obj=filing, actor=AnonymousUser(), action="submit", from_status="draft", to_status="draft"
    )
    assert event.actor is None
    client.force_login(alice)
    entries = timeline(client.get(f"/filings/{filing.pk}/").content.decode())
    assert any("系统 · 提交 (草稿 → 草稿)" in e for e in entries)


def test_the_enterprise_page_shows_its_registration_and_activation(client, world, dora):
    enterprise = enterprise_services.enterprise_register(
        data={
            "name": "南山新注册有限公司",
            "credit_code": valid_credit_code(99),
            "district": world["nanshan"],
            "address": "深圳市南山区",
            "legal_representative": "刘德明",
            "contact_name": "黄小燕",
            "contact_phone": "13912345678",
        },
        username="newcomer",
        password="Jingong-2026!",
        email="hr@example.cn",
    )
    enterprise_services.enterprise_activate(enterprise=enterprise, actor=dora)
    assert AuditEvent.objects.filter(object_id=enterprise.pk).count() == 2
    client.force_login(dora)
    entries = timeline(client.get(f"/enterprises/{enterprise.pk}/").content.decode())
    assert any("黄小燕 · 注册 (— → 待激活) 网上注册" in e for e in entries)
    assert any("dora · 激活 (待激活 → 已激活)" in e for e in entries)
