"""J-BJ: the centre evaluates, the municipal bureau confirms and publishes (seed 002 §四,
§六(三)): where the policy asks for it, an approval or rejection is proposed by one officer and
takes effect when another officer of the reviewing bureau confirms it."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from filings.clock import review_clock
from filings.filings.selectors import filing_todo_for_user
from filings.models import FilingStatus
from portal.core.models import AuditEvent
from tests.filings.review.jurisdictions import fresh, submitted
from tests.support.factories import make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_centre(friday, places):
    """A Beijing 市属 enterprise on the pilot list: the centre may decide at once."""
    return submitted(places["chaoyang"], "city", on_pilot_list=True)


def post(client, user, filing, form: str, data: dict) -> str:
    client.force_login(user)
    with translation.override("zh-hans"):
        return client.post(f"/filings/{filing.pk}/{form}/", data, follow=True).content.decode()


def actions(filing) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=filing.pk, content_type__model="filing")
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_j_bj_approval_is_confirmed_by_a_second_officer_seed_002_s6_3(
    client, at_centre, staff, friday
):
    centre, bureau = staff["bj1"], staff["bj2"]
    post(client, centre, at_centre, "decide", {"decision": "approve", "note": "评估通过"})
    filing = fresh(at_centre)
    assert filing.status == FilingStatus.CONFIRMATION
    assert filing.number is None  # nothing published yet
    # The review clock keeps running and the proposal waits on the other officer's list.
    clock = review_clock(filing, friday)
    assert clock is not None and clock.due_on == filing.due_on
    assert list(filing_todo_for_user(user=bureau)) == [filing]
    assert not filing_todo_for_user(user=centre).exists()

    page = post(client, bureau, filing, "confirm", {"action": "confirm"})
    filing = fresh(filing)
    assert filing.status == FilingStatus.APPROVED
    assert filing.number.startswith(f"11{friday.year}")
    assert filing.decision_note == "评估通过"
    assert filing.number in page
    assert actions(filing)[-2:] == ["propose_approve", "confirm_approve"]


def test_j_bj_the_proposer_cannot_confirm_their_own_proposal_seed_002_s6_3(
    client, at_centre, staff
):
    centre = staff["bj1"]
    post(client, centre, at_centre, "decide", {"decision": "approve", "note": ""})
    page = post(client, centre, at_centre, "confirm", {"action": "confirm"})
    with translation.override("zh-hans"):
        refusal = gettext(
            "You proposed this decision yourself: another officer of the bureau must "
            "confirm it or send it back."
        )
    assert refusal in page
    assert fresh(at_centre).status == FilingStatus.CONFIRMATION
    assert f"/filings/{at_centre.pk}/confirm/" not in page  # no confirmation form for them


def test_j_bj_a_rejection_is_proposed_and_confirmed_the_same_way_seed_002_s6_3(
    client, at_centre, staff
):
    post(client, staff["bj1"], at_centre, "decide", {"decision": "reject", "note": "场地不符"})
    assert fresh(at_centre).status == FilingStatus.CONFIRMATION
    post(client, staff["bj2"], at_centre, "confirm", {"action": "confirm"})
    filing = fresh(at_centre)
    assert filing.status == FilingStatus.REJECTED
    assert filing.decision_note == "场地不符"
    assert actions(filing)[-2:] == ["propose_reject", "confirm_reject"]


def test_j_bj_the_second_officer_sends_the_proposal_back_with_a_reason_seed_002_s6_3(
    client, at_centre, staff
):
    post(client, staff["bj1"], at_centre, "decide", {"decision": "approve", "note": ""})
    due = fresh(at_centre).due_on
    post(client, staff["bj2"], at_centre, "confirm", {"action": "send_back", "reason": ""})
    assert fresh(at_centre).status == FilingStatus.CONFIRMATION  # a reason is required
    post(client, staff["bj2"], at_centre, "confirm", {"action": "send_back", "reason": "补充意见"})
    filing = fresh(at_centre)
    assert filing.status == FilingStatus.CITY_REVIEW
    assert filing.due_on == due  # the same review clock
    assert filing.proposed_by is None and filing.proposed_decision == ""
    assert actions(filing)[-1] == "send_back"
    assert list(filing_todo_for_user(user=staff["bj1"])) == [filing]


def test_without_confirmation_in_the_policy_the_decision_takes_effect_at_once(
    client, friday, places, staff
):
    filing = submitted(places["taishan"], "district", on_pilot_list=True)
    post(client, staff["ta"], filing, "decide", {"decision": "approve", "note": ""})
    assert fresh(filing).status == FilingStatus.APPROVED


def test_another_city_gets_a_404_on_the_confirmation(client, at_centre, staff):
    post(client, staff["bj1"], at_centre, "decide", {"decision": "approve", "note": ""})
    client.force_login(staff["ta"])
    response = client.post(f"/filings/{at_centre.pk}/confirm/", {"action": "confirm"})
    assert response.status_code == 404
    assert fresh(at_centre).status == FilingStatus.CONFIRMATION


def test_j_bj_a_proposal_waiting_over_3_working_days_reminds_the_other_officers_seed_002_s6_3(
    client, at_centre, staff, friday
):
    import datetime as dt

    from supervision.reminders import rules

    make_member("bj-third", "city", bureau=at_centre.reviewing_bureau)
    post(client, staff["bj1"], at_centre, "decide", {"decision": "approve", "note": ""})
    assert fresh(at_centre).proposed_on == friday  # Friday 2026-09-25
    # Three working days later (28, 29, 30 September) it has not waited too long yet …
    assert list(rules.confirmation_waiting(dt.date(2026, 9, 30))) == []
    # … after the National Day holidays it has.
    (due,) = rules.confirmation_waiting(dt.date(2026, 10, 9))
    assert sorted(user.username for user in due.recipients) == ["bj-bureau", "bj-third"]
    assert due.url == f"/filings/{at_centre.pk}/"
