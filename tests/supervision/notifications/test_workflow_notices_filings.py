"""Each step of a filing's review (R-F5 … R-F7, the Beijing confirmation of seed 002 §六(三))
tells whoever acts next or should know, once in the inbox and once by e-mail; the officer who
took the step, another enterprise, another district and another city hear nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from filings.filings import services as filing_services
from filings.models import Filing
from filings.review import services as review_services
from portal.core.models import Policy, Role
from tests.filings.review.jurisdictions import submitted
from tests.supervision.notifications.notices import (
    assert_link_opens,
    assert_told_once,
    kind_of,
    step,
)
from tests.support.factories import complete_filing, expert_opinion, make_member

FILING = "filings.filing"
FRIDAY = dt.date(2026, 9, 25)


@pytest.fixture(autouse=True)
def friday(monkeypatch):
    monkeypatch.setattr(filing_services, "_today", lambda: FRIDAY)
    monkeypatch.setattr(review_services, "_today", lambda: FRIDAY)
    return FRIDAY


@pytest.fixture
def ethan(world):
    return make_member("ethan", Role.EXPERT, bureau=world["city"])


@pytest.fixture
def draft(ent_a, alice, amy, bob, dora, fred, carl, olga, erin, sam):
    return complete_filing(ent_a, uploaded_by=alice)


def fresh(filing) -> Filing:
    return Filing.objects.get(pk=filing.pk)


def url_of(filing) -> str:
    return reverse("filing_detail", kwargs={"pk": filing.pk})


@pytest.fixture
def at_district(draft, alice):
    filing_services.filing_submit(filing=draft, actor=alice)
    return fresh(draft)


@pytest.fixture
def at_city(at_district, dora):
    review_services.filing_district_forward(filing=at_district, actor=dora, opinion="同意上报。")
    return fresh(at_district)


@pytest.fixture
def evaluated(at_city, carl, erin):
    review_services.filing_assign_experts(filing=at_city, actor=carl, experts=[erin])
    expert_opinion(at_city, erin, "场地设备符合要求，建议备案。")
    return fresh(at_city)


def test_filing_submitted_tells_its_district_reviewers_once_by_inbox_and_email(
    client, draft, alice, amy, bob, dora, fred, carl, olga
):
    with step(kind_of(FILING, "submit")) as record:
        filing_services.filing_submit(filing=draft, actor=alice)
    assert_told_once(
        record,
        [dora],
        untold=[alice, amy, bob, fred, carl, olga],
        title="南山精密机械有限公司",
        url=url_of(draft),
    )
    assert_link_opens(client, record, [dora])


def test_filing_submitted_without_prereview_tells_the_city_reviewers_once(
    client, world, draft, alice, dora, fred, carl, olga
):
    Policy.objects.filter(bureau=world["city"]).update(district_prereview=False)
    with step(kind_of(FILING, "submit")) as record:
        filing_services.filing_submit(filing=draft, actor=alice)
    assert_told_once(record, [carl], untold=[alice, dora, fred, olga], title="南山精密机械有限公司")
    assert_link_opens(client, record, [carl])


def test_filing_forwarded_by_the_district_tells_the_city_and_the_enterprise_once(
    client, at_district, alice, amy, bob, dora, fred, carl, olga
):
    with step(kind_of(FILING, "district_forward")) as record:
        review_services.filing_district_forward(
            filing=at_district, actor=dora, opinion="材料齐全，同意上报。"
        )
    assert_told_once(
        record, [alice, amy, carl], untold=[dora, bob, fred, olga], url=url_of(at_district)
    )
    assert "南山精密机械有限公司" in record.notes_of(carl)[0].title
    assert record.notes_of(alice)[0].body == "材料齐全，同意上报。"
    assert_link_opens(client, record, [alice, carl])


def test_filing_experts_sent_tells_each_expert_once_even_when_more_are_added(
    client, at_city, alice, carl, erin, ethan, olga
):
    with step(kind_of(FILING, "assign_experts")) as record:
        review_services.filing_assign_experts(filing=at_city, actor=carl, experts=[erin])
    assert_told_once(
        record, [erin], untold=[carl, alice, ethan, olga], title="南山精密机械有限公司"
    )
    assert_link_opens(client, record, [erin])

    with step(kind_of(FILING, "assign_experts")) as again:
        review_services.filing_assign_experts(filing=at_city, actor=carl, experts=[ethan])
    assert_told_once(again, [ethan], untold=[erin, carl, alice])


def test_filing_expert_opinion_tells_the_city_reviewers_once(
    client, at_city, alice, carl, erin, dora, olga
):
    review_services.filing_assign_experts(filing=at_city, actor=carl, experts=[erin])
    with step(kind_of(FILING, "expert_opinion")) as record:
        expert_opinion(at_city, erin, "符合要求", score=90)
    assert_told_once(record, [carl], untold=[erin, alice, dora, olga], url=url_of(at_city))
    assert_link_opens(client, record, [carl])


def test_filing_approved_tells_the_enterprise_operators_and_its_district_once(
    client, evaluated, alice, amy, bob, dora, fred, carl, olga, erin
):
    with step(kind_of(FILING, "approve")) as record:
        review_services.filing_approve(filing=evaluated, actor=carl, note="同意备案")
    filing = fresh(evaluated)
    assert_told_once(
        record, [alice, amy, dora], untold=[carl, bob, fred, olga, erin], url=url_of(filing)
    )
    assert filing.number in record.notes_of(alice)[0].title
    assert "南山精密机械有限公司" in record.notes_of(dora)[0].title
    assert_link_opens(client, record, [alice, dora])


def test_filing_rejected_tells_the_enterprise_operators_and_its_district_once(
    client, evaluated, alice, amy, bob, dora, fred, carl, olga
):
    with step(kind_of(FILING, "reject")) as record:
        review_services.filing_reject(filing=evaluated, actor=carl, reason="现场评估未通过。")
    assert_told_once(record, [alice, amy, dora], untold=[carl, bob, fred, olga])
    assert record.notes_of(alice)[0].body == "现场评估未通过。"
    assert_link_opens(client, record, [alice, dora])


def test_filing_returned_tells_the_enterprise_operators_once_by_inbox_and_email(
    client, at_city, alice, amy, bob, dora, fred, carl, olga
):
    with step(kind_of(FILING, "return")) as record:
        review_services.filing_return(filing=at_city, actor=carl, reason="请补充考评人员证书。")
    filing = fresh(at_city)
    assert_told_once(record, [alice, amy], untold=[carl, dora, bob, fred, olga], url=url_of(filing))
    deadline = filing.correction_deadline.isoformat()
    assert deadline in record.notes_of(alice)[0].title
    assert "请补充考评人员证书。" in record.mails_to(alice)[0].body
    assert_link_opens(client, record, [alice])


def test_filing_returned_by_the_district_tells_the_enterprise_operators_once(
    at_district, alice, amy, dora, carl
):
    with step(kind_of(FILING, "return")) as record:
        review_services.filing_return(filing=at_district, actor=dora, reason="营业执照已过期。")
    assert_told_once(record, [alice, amy], untold=[dora, carl])


# The Beijing confirmation (seed 002 §六(三)) -----------------------------------------------------


@pytest.fixture
def at_centre(places, staff):
    """A Beijing 市属 enterprise on the pilot list: the centre may decide at once."""
    return submitted(places["chaoyang"], "city", on_pilot_list=True)


def operators_of(filing) -> list:
    from supervision.notifications import recipients

    return recipients.operators(filing.enterprise)


@pytest.mark.parametrize(
    ("decision", "action"), [("approve", "propose_approve"), ("reject", "propose_reject")]
)
def test_filing_proposed_decision_tells_the_other_officer_once(
    client,
    at_centre,
    staff,
    decision,
    action,
):
    centre, bureau = staff["bj1"], staff["bj2"]
    with step(kind_of(FILING, action)) as record:
        if decision == "approve":
            review_services.filing_approve(filing=at_centre, actor=centre, note="评估通过")
        else:
            review_services.filing_reject(filing=at_centre, actor=centre, reason="场地不符")
    assert_told_once(
        record,
        [bureau],
        untold=[centre, staff["ta"], staff["cy"], staff["sd"], *operators_of(at_centre)],
        url=url_of(at_centre),
    )
    assert_link_opens(client, record, [bureau])


@pytest.mark.parametrize(
    ("decision", "action"), [("approve", "confirm_approve"), ("reject", "confirm_reject")]
)
def test_filing_confirmed_decision_tells_the_enterprise_once_not_the_district_of_a_city_firm(
    client,
    at_centre,
    staff,
    decision,
    action,
):
    centre, bureau = staff["bj1"], staff["bj2"]
    if decision == "approve":
        review_services.filing_approve(filing=at_centre, actor=centre, note="评估通过")
    else:
        review_services.filing_reject(filing=at_centre, actor=centre, reason="场地不符")
    operators = operators_of(at_centre)
    with step(kind_of(FILING, action)) as record:
        review_services.filing_confirm(filing=fresh(at_centre), actor=bureau)
    # A 市属 enterprise files with the centre directly (R-F5): its district has no part in it.
    assert_told_once(
        record,
        operators,
        untold=[bureau, centre, staff["cy"], staff["ta"], staff["sd"]],
    )
    assert_link_opens(client, record, operators)


def test_filing_proposal_sent_back_tells_the_proposing_officer_once(
    client,
    at_centre,
    staff,
):
    centre, bureau = staff["bj1"], staff["bj2"]
    review_services.filing_approve(filing=at_centre, actor=centre, note="评估通过")
    with step(kind_of(FILING, "send_back")) as record:
        review_services.filing_send_back(filing=fresh(at_centre), actor=bureau, reason="补充意见")
    assert_told_once(record, [centre], untold=[bureau, staff["ta"], *operators_of(at_centre)])
    assert record.notes_of(centre)[0].body == "补充意见"
    assert_link_opens(client, record, [centre])


def test_an_expert_sent_again_to_the_corrected_filing_is_told_again(
    at_city, alice, dora, carl, erin
):
    review_services.filing_assign_experts(filing=at_city, actor=carl, experts=[erin])
    review_services.filing_return(filing=fresh(at_city), actor=carl, reason="请补充材料。")
    filing_services.filing_submit(filing=fresh(at_city), actor=alice)
    review_services.filing_district_forward(filing=fresh(at_city), actor=dora, opinion="同意。")
    with step(kind_of(FILING, "assign_experts")) as record:
        review_services.filing_assign_experts(filing=fresh(at_city), actor=carl, experts=[erin])
    assert_told_once(record, [erin], untold=[carl, alice, dora])


def test_a_province_administered_filing_goes_to_the_provincial_centre_not_the_city(places, staff):
    with step(kind_of(FILING, "submit")) as record:
        filing = submitted(places["taishan"], "province")
    assert fresh(filing).reviewing_bureau == places["shandong"]
    assert_told_once(record, [staff["sd"]], untold=[staff["ta"], staff["bj1"], staff["cy"]])


def test_a_filing_returned_while_the_calendar_is_missing_names_no_empty_deadline(
    monkeypatch, at_city, alice, amy, carl
):
    # The deadline's year has no calendar yet (due_on_after gives None): the title says the
    # filing was returned, without a dangling "correct it by".
    monkeypatch.setattr(review_services, "due_on_after", lambda start, days: None)
    with step(kind_of(FILING, "return")) as record:
        review_services.filing_return(filing=at_city, actor=carl, reason="请补充考评人员证书。")
    assert fresh(at_city).correction_deadline is None
    assert_told_once(record, [alice, amy], untold=[carl])
    title = record.notes_of(alice)[0].title
    assert "correct it by" not in title and "前更正" not in title
    assert not title.rstrip().endswith(("by", "于"))


def test_a_refused_attempt_recorded_on_a_filing_tells_nobody(at_city, alice, amy, carl):
    from portal.core.audit import audit_record
    from portal.core.models import AuditOutcome

    with step(kind_of(FILING, "approve")) as record:
        audit_record(
            obj=at_city, actor=carl, action="approve", note="refused", outcome=AuditOutcome.REFUSED
        )
    assert record.notes == []
    assert record.mails == []
