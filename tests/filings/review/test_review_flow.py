"""The review of a filing: routing (R-F5), the city's 20-working-day clock and the expert on-site
evaluation (R-F6), the outcomes (R-F7) and the transitions that are refused."""

import datetime as dt
from unittest import mock

import pytest
from django.utils import timezone

from filings.filings import services as filing_services
from filings.models import ExpertAssignment, Filing, FilingStatus
from filings.review import services as review_services
from filings.review.tasks import render_filing_receipt
from portal.core.errors import InvalidTransition, ServiceError
from portal.core.models import CalendarYear, OutboxMessage, Policy
from supervision.tasks import send_reminders
from tests.support.factories import EnterpriseFactory, complete_filing, expert_opinion, make_member

D = dt.date
FRIDAY = D(2026, 9, 25)  # the last working day before National Day 2026


@pytest.fixture
def today(monkeypatch):
    """Set the day the services see; `today.set(date)` moves it."""

    class Today:
        value = FRIDAY

        def set(self, day: dt.date) -> None:
            self.value = day

    clock = Today()
    monkeypatch.setattr(filing_services, "_today", lambda: clock.value)
    monkeypatch.setattr(review_services, "_today", lambda: clock.value)
    return clock


@pytest.fixture
def draft(ent_a, alice):
    return complete_filing(ent_a, uploaded_by=alice)


def fresh(filing: Filing) -> Filing:
    return Filing.objects.get(pk=filing.pk)


def page_after(client, user, filing, form: str, data: dict) -> str:
    """The page `user` lands on after posting `data` to the filing's `form` (redirects followed)."""
    client.force_login(user)
    return client.post(f"/filings/{filing.pk}/{form}/", data, follow=True).content.decode()


def set_policy(world, **values) -> None:
    Policy.objects.filter(bureau=world["city"]).update(**values)


@pytest.fixture
def at_city(today, draft, alice, dora):
    """A filing of 南山 enterprise A, forwarded by the district and received by the city."""
    filing_services.filing_submit(filing=draft, actor=alice)
    review_services.filing_district_forward(
        filing=draft, actor=dora, opinion="材料齐全，同意上报。"
    )
    return fresh(draft)


@pytest.fixture
def ethan(world):
    return make_member("ethan", "expert", bureau=world["city"])


# R-F5: routing ---------------------------------------------------------------------------------


def test_r_f5_a_district_enterprise_goes_to_its_district_first(today, draft, alice):
    filing_services.filing_submit(filing=draft, actor=alice)
    filing = fresh(draft)
    assert filing.status == FilingStatus.DISTRICT_REVIEW
    assert filing.submitted_at is not None
    assert filing.received_on is None and filing.due_on is None  # the city's clock waits


def test_r_f5_a_city_administered_enterprise_goes_to_the_city_directly(today, world):
    enterprise = EnterpriseFactory(district=world["futian"], administration_level="city")
    operator = make_member("metro", "enterprise", enterprise=enterprise)
    filing = complete_filing(enterprise, uploaded_by=operator)
    filing_services.filing_submit(filing=filing, actor=operator)
    filing = fresh(filing)
    assert filing.status == FilingStatus.CITY_REVIEW
    assert filing.received_on == FRIDAY


def test_r_f5_without_district_prereview_the_city_receives_directly(today, world, draft, alice):
    set_policy(world, district_prereview=False)
    filing_services.filing_submit(filing=draft, actor=alice)
    filing = fresh(draft)
    assert filing.status == FilingStatus.CITY_REVIEW
    assert filing.received_on == FRIDAY


def test_r_f5_the_district_forwards_with_its_opinion_shown_to_the_city(
    client, today, draft, alice, dora, carl
):
    filing_services.filing_submit(filing=draft, actor=alice)
    forward = {"opinion": "材料齐全，同意上报。", "action": "forward"}
    page = page_after(client, dora, draft, "district-review", forward)
    assert "备案申请已报市级审核。" in page
    assert fresh(draft).status == FilingStatus.CITY_REVIEW
    client.force_login(carl)
    text = client.get(f"/filings/{draft.pk}/").content.decode()
    assert "区级初审意见" in text and "材料齐全，同意上报。" in text


def test_r_f5_the_district_must_give_an_opinion(client, today, draft, alice, dora):
    filing_services.filing_submit(filing=draft, actor=alice)
    page = page_after(client, dora, draft, "district-review", {"opinion": "", "action": "forward"})
    assert "请填写初审意见。" in page
    assert fresh(draft).status == FilingStatus.DISTRICT_REVIEW
    with pytest.raises(ServiceError):
        review_services.filing_district_forward(filing=draft, actor=dora, opinion="   ")


def test_r_f5_another_district_cannot_review(client, today, draft, alice, fred):
    filing_services.filing_submit(filing=draft, actor=alice)
    client.force_login(fred)
    response = client.post(
        f"/filings/{draft.pk}/district-review/", {"opinion": "同意", "action": "forward"}
    )
    assert response.status_code == 404
    assert fresh(draft).status == FilingStatus.DISTRICT_REVIEW


# R-F6: the city's clock ------------------------------------------------------------------------


def test_r_f6_the_clock_starts_on_the_day_the_city_receives_it(today, draft, alice, dora):
    today.set(D(2026, 9, 21))
    filing_services.filing_submit(filing=draft, actor=alice)
    today.set(FRIDAY)
    review_services.filing_district_forward(filing=draft, actor=dora, opinion="同意上报")
    filing = fresh(draft)
    assert filing.received_on == FRIDAY
    # 20 working days on the real calendar: National Day (1–7 Oct) is off and Saturday 10 Oct
    # is a make-up working day; counting Monday to Friday only would give 23 Oct.
    assert filing.due_on == D(2026, 10, 29)


def test_r_f6_the_city_policy_sets_the_review_period(world, today, draft, alice, dora):
    set_policy(world, review_working_days=10)
    filing_services.filing_submit(filing=draft, actor=alice)
    review_services.filing_district_forward(filing=draft, actor=dora, opinion="同意上报")
    assert fresh(draft).due_on == D(2026, 10, 15)


def test_r_f6_a_due_date_in_a_year_without_calendar_is_left_open(today, draft, alice, dora):
    CalendarYear.objects.filter(year=2027).delete()
    today.set(D(2026, 12, 10))
    filing_services.filing_submit(filing=draft, actor=alice)
    review_services.filing_district_forward(filing=draft, actor=dora, opinion="同意上报")
    filing = fresh(draft)
    assert filing.received_on == D(2026, 12, 10)
    assert filing.due_on is None  # never a guess


def test_r_f6_a_pilot_list_enterprise_skips_the_experts(client, today, world, dora, carl):
    enterprise = EnterpriseFactory(
        district=world["nanshan"], on_pilot_list=True, name="南山试点企业有限公司"
    )
    operator = make_member("pilot", "enterprise", enterprise=enterprise)
    filing = complete_filing(enterprise, uploaded_by=operator)
    filing_services.filing_submit(filing=filing, actor=operator)
    review_services.filing_district_forward(filing=filing, actor=dora, opinion="同意")
    assert fresh(filing).skip_onsite is True
    client.force_login(carl)
    page = client.get(f"/filings/{filing.pk}/").content.decode()
    assert "该企业列入省级试点名单，免于专家现场评估。" in page
    response = client.post(
        f"/filings/{filing.pk}/decide/", {"decision": "approve", "note": "同意备案"}, follow=True
    )
    filing = fresh(filing)
    assert filing.status == FilingStatus.APPROVED
    assert f"已准予备案，备案编号{filing.number}。" in response.content.decode()
    assert not ExpertAssignment.objects.exists()


def test_r_f6_otherwise_the_city_cannot_decide_before_the_experts(client, at_city, carl):
    assert at_city.skip_onsite is False
    page = page_after(client, carl, at_city, "decide", {"decision": "approve", "note": ""})
    assert "须在专家现场评估后才能作出决定。" in page
    assert fresh(at_city).status == FilingStatus.CITY_REVIEW
    with pytest.raises(InvalidTransition):
        review_services.filing_reject(filing=at_city, actor=carl, reason="不符合条件")


def test_r_f6_approval_waits_for_every_expert_opinion(client, at_city, carl, erin, ethan):
    review_services.filing_assign_experts(filing=at_city, actor=carl, experts=[erin, ethan])
    expert_opinion(at_city, erin, "符合要求", score=90)
    page = page_after(client, carl, at_city, "decide", {"decision": "approve", "note": ""})
    assert "请等待所有被指派的专家提交意见。" in page
    assert fresh(at_city).status == FilingStatus.EXPERT_REVIEW
    expert_opinion(at_city, ethan, "同意", score=85)
    client.post(f"/filings/{at_city.pk}/decide/", {"decision": "approve", "note": ""})
    assert fresh(at_city).status == FilingStatus.APPROVED


def test_r_f6_the_city_assigns_experts_through_the_page(client, at_city, carl, erin):
    page = page_after(client, carl, at_city, "experts", {"experts": [erin.pk]})
    assert "已指派专家。" in page
    filing = fresh(at_city)
    assert filing.status == FilingStatus.EXPERT_REVIEW
    assert erin.has_perm("filings.evaluate_filing", filing)


def test_r_f6_an_expert_sees_only_the_filings_assigned_to_them(
    client, at_city, carl, erin, ethan, world
):
    other_ent = EnterpriseFactory(district=world["futian"], name="福田另一家有限公司")
    other = complete_filing(other_ent, status=FilingStatus.CITY_REVIEW)
    review_services.filing_assign_experts(filing=at_city, actor=carl, experts=[erin])
    review_services.filing_assign_experts(filing=other, actor=carl, experts=[ethan])

    client.force_login(erin)
    assert client.get(f"/filings/{at_city.pk}/").status_code == 200
    assert client.get(f"/filings/{other.pk}/").status_code == 404
    listing = client.get("/filings/").content.decode()
    assert at_city.enterprise.name in listing and "福田另一家有限公司" not in listing
    material = other.materials.first()
    assert client.get(f"/filings/{other.pk}/materials/{material.pk}/").status_code == 404

    unassigned = make_member("nobody", "expert", bureau=world["city"])
    client.force_login(unassigned)
    assert client.get(f"/filings/{at_city.pk}/").status_code == 404
    assert client.get(f"/filings/{at_city.pk}/opinion/").status_code == 404


def test_r_f6_an_expert_cannot_give_the_opinion_of_another_expert(at_city, carl, erin, ethan):
    review_services.filing_assign_experts(filing=at_city, actor=carl, experts=[erin, ethan])
    erins = ExpertAssignment.objects.get(expert=erin)
    with pytest.raises(ServiceError) as refused:
        expert_opinion(at_city, erin, "冒名意见", score=10, recommendation="reject", actor=ethan)
    assert refused.value.message == "只有被指派的专家才能提交该意见。"
    erins.refresh_from_db()
    assert erins.submitted_at is None and erins.opinion == ""


def test_r_f6_the_opinion_page_writes_only_the_experts_own_assignment(
    client, world, at_city, carl, erin, ethan
):
    set_policy(world, expert_checklist=None)  # a single score, no checklist
    review_services.filing_assign_experts(filing=at_city, actor=carl, experts=[erin, ethan])
    client.force_login(ethan)
    response = client.post(
        f"/filings/{at_city.pk}/opinion/",
        {
            "visited_on": "2026-10-09",
            "score": "82",
            "recommendation": "approve",
            "opinion": "场地符合要求",
        },
        follow=True,
    )
    assert "您的意见已记录。" in response.content.decode()
    assert ExpertAssignment.objects.get(expert=ethan).score == 82
    erins = ExpertAssignment.objects.get(expert=erin)
    assert erins.submitted_at is None and erins.score is None
    # Each expert sees only their own opinion on the filing page.
    client.force_login(erin)
    assert "场地符合要求" not in client.get(f"/filings/{at_city.pk}/").content.decode()


def test_r_f6_an_expert_score_above_100_is_refused(client, world, at_city, carl, erin):
    set_policy(world, expert_checklist=None)  # a single score, no checklist
    review_services.filing_assign_experts(filing=at_city, actor=carl, experts=[erin])
    client.force_login(erin)
    response = client.post(
        f"/filings/{at_city.pk}/opinion/",
        {"visited_on": "2026-10-09", "score": "101", "recommendation": "approve", "opinion": "好"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "评分（0–100）：确保该值小于或等于100。" in text
    assert 'value="101"' in text and ">\n好</textarea>" in text  # the input is kept
    assert ExpertAssignment.objects.get().submitted_at is None


def test_r_f6_an_on_site_evaluation_date_in_the_future_is_refused(
    client, world, at_city, carl, erin
):
    """Issue 16: the opinion follows the visit; a date after today is a typing mistake."""
    set_policy(world, expert_checklist=None)
    review_services.filing_assign_experts(filing=at_city, actor=carl, experts=[erin])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    client.force_login(erin)
    response = client.post(
        f"/filings/{at_city.pk}/opinion/",
        {
            "visited_on": tomorrow.isoformat(),
            "score": "80",
            "recommendation": "approve",
            "opinion": "场地符合要求",
        },
    )
    text = response.content.decode()
    assert f"现场评估日期{tomorrow.isoformat()}晚于今天" in text
    assert ">\n场地符合要求</textarea>" in text  # the input is kept
    assert ExpertAssignment.objects.get().submitted_at is None
    with pytest.raises(ServiceError):
        review_services.filing_expert_opinion(
            assignment=ExpertAssignment.objects.get(),
            actor=erin,
            visited_on=tomorrow,
            score=80,
            recommendation="approve",
            opinion="好",
        )


# R-F7: outcomes --------------------------------------------------------------------------------


@pytest.fixture
def evaluated(at_city, carl, erin):
    review_services.filing_assign_experts(filing=at_city, actor=carl, experts=[erin])
    expert_opinion(at_city, erin, "场地设备符合要求，建议备案。")
    return fresh(at_city)


def test_r_f7_approval_numbers_the_filing_and_schedules_the_receipt(
    evaluated, carl, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(render_filing_receipt, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        review_services.filing_approve(filing=evaluated, actor=carl, note="同意备案")
    filing = fresh(evaluated)
    assert filing.status == FilingStatus.APPROVED
    assert filing.number == "440320260001"
    assert filing.approved_on == FRIDAY
    assert filing.valid_until == D(2029, 9, 24)  # 3 years minus a day
    assert filing.decision_note == "同意备案"
    delay.assert_called_once_with(filing.pk)


def test_r_f7_the_receipt_is_not_scheduled_before_commit(
    evaluated, carl, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(render_filing_receipt, "delay") as delay,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        review_services.filing_approve(filing=evaluated, actor=carl)
    # The receipt, and the sender of the e-mails telling the enterprise.
    assert len(callbacks) == 2
    assert set(OutboxMessage.objects.values_list("task_name", flat=True)) == {
        render_filing_receipt.name,
        send_reminders.name,
    }
    delay.assert_not_called()


def test_r_f7_filing_numbers_are_unique_and_restart_each_year(today, world, carl):
    numbers = []
    for day in [FRIDAY, D(2026, 10, 9), D(2027, 1, 4)]:
        enterprise = EnterpriseFactory(district=world["nanshan"], on_pilot_list=True)
        filing = complete_filing(enterprise, status=FilingStatus.CITY_REVIEW, skip_onsite=True)
        today.set(day)
        review_services.filing_approve(filing=filing, actor=carl)
        numbers.append(fresh(filing).number)
    assert numbers == ["440320260001", "440320260002", "440320270001"]


def test_r_f7_the_city_policy_sets_the_validity(world, evaluated, carl):
    set_policy(world, filing_validity_years=5)
    review_services.filing_approve(filing=evaluated, actor=carl)
    assert fresh(evaluated).valid_until == D(2031, 9, 24)


def test_r_f7_return_sets_a_correction_deadline_and_the_enterprise_resubmits(
    client, today, at_city, alice, carl
):
    client.force_login(carl)
    client.post(
        f"/filings/{at_city.pk}/decide/", {"decision": "return", "note": "请补充考评人员证书。"}
    )
    filing = fresh(at_city)
    assert filing.status == FilingStatus.RETURNED
    assert filing.correction_deadline == D(2026, 10, 15)  # 10 working days, National Day off
    assert filing.received_on is None and filing.due_on is None
    assert filing.decision_note == "请补充考评人员证书。"

    client.force_login(alice)
    page = client.get(f"/filings/{filing.pk}/").content.decode()
    assert "请补充考评人员证书。" in page and "2026-10-15" in page
    assert client.get(f"/filings/{filing.pk}/edit/").status_code == 200
    today.set(D(2026, 10, 12))
    response = client.post(
        f"/filings/{filing.pk}/submit/", {"version": filing.version, "pledge": "on"}, follow=True
    )
    assert "备案申请已提交，进入区级初审。" in response.content.decode()
    filing = fresh(filing)
    assert filing.status == FilingStatus.DISTRICT_REVIEW
    assert filing.correction_deadline is None


def test_r_f7_the_district_can_return_a_filing_too(client, today, draft, alice, dora):
    filing_services.filing_submit(filing=draft, actor=alice)
    page = page_after(
        client, dora, draft, "district-review", {"opinion": "营业执照已过期。", "action": "return"}
    )
    assert "备案申请已退回企业。" in page
    filing = fresh(draft)
    assert filing.status == FilingStatus.RETURNED
    assert filing.correction_deadline == D(2026, 10, 15)


def test_r_f7_a_return_or_rejection_needs_a_reason(client, evaluated, carl):
    client.force_login(carl)
    for decision in ("return", "reject"):
        response = client.post(
            f"/filings/{evaluated.pk}/decide/", {"decision": decision, "note": " "}, follow=True
        )
        assert "请填写理由：企业将在备案页面看到该理由。" in response.content.decode()
    assert fresh(evaluated).status == FilingStatus.EXPERT_REVIEW


def test_r_f7_rejection_ends_the_filing(client, today, evaluated, alice, carl):
    page = page_after(
        client, carl, evaluated, "decide", {"decision": "reject", "note": "现场评估未通过。"}
    )
    assert "已不予备案。" in page
    filing = fresh(evaluated)
    assert filing.status == FilingStatus.REJECTED and filing.number is None
    client.force_login(alice)
    page = client.get(f"/filings/{filing.pk}/").content.decode()
    assert "现场评估未通过。" in page
    assert client.get(f"/filings/{filing.pk}/edit/").status_code == 404
    with pytest.raises(InvalidTransition):
        filing_services.filing_submit(filing=filing, actor=alice)
    # A new application may start once this one is decided (R-F9).
    filing_services.filing_create(enterprise=filing.enterprise, actor=alice, data={})


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (FilingStatus.DRAFT, "approve"),
        (FilingStatus.DRAFT, "reject"),
        (FilingStatus.DRAFT, "return"),
        (FilingStatus.DRAFT, "forward"),
        (FilingStatus.DRAFT, "assign"),
        (FilingStatus.DISTRICT_REVIEW, "submit"),
        (FilingStatus.DISTRICT_REVIEW, "approve"),
        (FilingStatus.CITY_REVIEW, "submit"),
        (FilingStatus.CITY_REVIEW, "forward"),
        (FilingStatus.APPROVED, "return"),
        (FilingStatus.APPROVED, "approve"),
        (FilingStatus.REJECTED, "submit"),
        (FilingStatus.REJECTED, "assign"),
    ],
)
def test_r_f7_invalid_transitions_are_refused(today, ent_a, alice, carl, erin, status, action):
    extra = {}
    if status == FilingStatus.APPROVED:
        extra = {"number": "440320259999", "approved_on": FRIDAY, "valid_until": FRIDAY}
    filing = complete_filing(ent_a, status=status, **extra)
    calls = {
        "submit": lambda: filing_services.filing_submit(filing=filing, actor=alice),
        "forward": lambda: review_services.filing_district_forward(
            filing=filing, actor=carl, opinion="同意"
        ),
        "assign": lambda: review_services.filing_assign_experts(
            filing=filing, actor=carl, experts=[erin]
        ),
        "approve": lambda: review_services.filing_approve(filing=filing, actor=carl),
        "return": lambda: review_services.filing_return(filing=filing, actor=carl, reason="补充"),
        "reject": lambda: review_services.filing_reject(filing=filing, actor=carl, reason="不符合"),
    }
    with pytest.raises(InvalidTransition):
        calls[action]()
    after = fresh(filing)
    assert after.status == status
    assert after.version == filing.version


def test_r_f7_submitting_twice_is_refused_with_the_current_status(client, today, draft, alice):
    client.force_login(alice)
    client.post(f"/filings/{draft.pk}/submit/", {"version": draft.version, "pledge": "on"})
    response = client.post(
        f"/filings/{draft.pk}/submit/",
        {"version": draft.version + 1, "pledge": "on"},
        follow=True,
    )
    assert "备案处于“区级初审”状态，不能进行此操作。" in response.content.decode()
    assert fresh(draft).status == FilingStatus.DISTRICT_REVIEW


def test_r_f7_approving_a_draft_through_the_page_is_404_for_the_city(client, draft, carl):
    client.force_login(carl)
    response = client.post(f"/filings/{draft.pk}/decide/", {"decision": "approve", "note": ""})
    assert response.status_code == 404  # drafts stay with their enterprise
    assert fresh(draft).status == FilingStatus.DRAFT


@pytest.mark.parametrize("persona", ["alice", "dora", "erin", "olga"])
def test_r_f7_only_the_city_decides(client, evaluated, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(f"/filings/{evaluated.pk}/decide/", {"decision": "approve", "note": ""})
    assert response.status_code == 404
    assert fresh(evaluated).status == FilingStatus.EXPERT_REVIEW
