"""Sanctions (R-M2, R-M3, R-M6): the ban's length end to end, the filing ended, the directory, the
public list, certificates."""

import datetime as dt

import pytest
from django.urls import reverse

from certificates.issuance.services import issue_problems
from certificates.models import Certificate
from filings.directory.selectors import directory_filings
from filings.filings import services as filing_services
from filings.models import Filing
from filings.review import services as review_services
from portal.core.errors import ServiceError
from portal.core.models import AuditEvent
from supervision.models import Notification, Sanction
from supervision.sanctions.services import (
    ban_end,
    certificates_after_cancellation,
    sanction_impose,
)
from tests.certificates.factories import approved_batch, issued_batch, prefix_for
from tests.support.factories import SanctionFactory, approved_filing, complete_filing

DECIDED = dt.date(2026, 3, 10)


def _approved(enterprise) -> Filing:
    return approved_filing(enterprise, f"4403{enterprise.pk:08d}", approved_on=dt.date(2024, 1, 10))


def _submit_on(monkeypatch, enterprise, alice, day: dt.date):
    monkeypatch.setattr(filing_services, "_today", lambda: day)
    draft = complete_filing(enterprise, uploaded_by=alice)
    return filing_services.filing_submit(filing=draft, actor=alice)


@pytest.mark.parametrize(
    ("kind", "years", "rule"), [("removed", 2, "R-M3"), ("cancelled", 5, "R-M2")]
)
def test_r_m2_r_m3_ban_refuses_filing_until_ban_until_inclusive_and_allows_the_day_after(
    monkeypatch, ent_a, alice, carl, kind, years, rule
):
    filing = _approved(ent_a)
    sanction = sanction_impose(
        enterprise=ent_a, kind=kind, reason="组织替考", actor=carl, today=DECIDED
    )
    assert sanction.ban_until == dt.date(2026 + years, 3, 10)
    filing.refresh_from_db()
    assert filing.status == kind and sanction.filing == filing
    # The last day of the ban: creating and submitting a filing are refused with the rule.
    monkeypatch.setattr(filing_services, "_today", lambda: sanction.ban_until)
    with pytest.raises(ServiceError) as refusal:
        filing_services.filing_create(enterprise=ent_a, actor=alice, data={})
    assert any(p.rule == rule for p in refusal.value.problems)
    with pytest.raises(ServiceError) as refusal:
        _submit_on(monkeypatch, ent_a, alice, sanction.ban_until)
    assert any(p.rule == rule for p in refusal.value.problems)
    Filing.objects.filter(enterprise=ent_a, status="draft").delete()
    # The day after, the ban no longer stands in the way.
    submitted = _submit_on(monkeypatch, ent_a, alice, sanction.ban_until + dt.timedelta(days=1))
    assert submitted.status in ("district_review", "city_review")


def test_r_m2_ban_decided_on_29_february_ends_on_28_february():
    assert ban_end(dt.date(2028, 2, 29), 5) == dt.date(2033, 2, 28)
    assert ban_end(dt.date(2028, 2, 29), 2) == dt.date(2030, 2, 28)


def test_r_m2_cancelling_ends_the_filing_with_audit_and_tells_the_enterprise(ent_a, alice, carl):
    filing = _approved(ent_a)
    sanction_impose(
        enterprise=ent_a, kind="cancelled", reason="组织替考", actor=carl, today=DECIDED
    )
    event = AuditEvent.objects.get(object_id=filing.pk, action="sanction_cancel")
    assert (event.from_status, event.to_status, event.note) == ("approved", "cancelled", "组织替考")
    note = Notification.objects.get(user=alice)
    assert "2031-03-10" in note.title and note.body == "组织替考"


def test_r_m2_a_second_sanction_is_refused_while_one_runs(ent_a, carl):
    _approved(ent_a)
    sanction_impose(
        enterprise=ent_a, kind="removed", reason="未组织认定", actor=carl, today=DECIDED
    )
    with pytest.raises(ServiceError) as refusal:
        sanction_impose(
            enterprise=ent_a, kind="cancelled", reason="替考", actor=carl, today=DECIDED
        )
    assert "处理期内不能再作出处理" in refusal.value.message
    assert Sanction.objects.count() == 1


def test_r_m5_sanctioned_enterprise_leaves_the_directory_and_shows_on_the_public_list(
    client, ent_a, ent_b, carl
):
    _approved(ent_a)
    _approved(ent_b)
    today = dt.date(2026, 6, 1)
    sanction_impose(enterprise=ent_a, kind="cancelled", reason="组织替考", actor=carl, today=today)
    names = [f.enterprise.name for f in directory_filings(today=today)]
    assert ent_a.name not in names and ent_b.name in names
    page = client.get(reverse("public_sanction_list")).content.decode()
    assert "失信及退出名单" in page and ent_a.name in page and ent_a.credit_code in page
    assert "组织替考" in page and "取消备案" in page and ent_b.name not in page
    # On a phone each row is a card whose values carry their column's name; no rule ids.
    assert '<table class="stack">' in page and 'data-label="禁止备案至"' in page
    assert "R-M" not in page


def test_r_m6_public_list_shows_ended_bans_only_when_asked(client, ent_a, carl):
    SanctionFactory(
        enterprise=ent_a,
        kind="removed",
        decided_on=dt.date(2020, 1, 2),
        ban_until=dt.date(2022, 1, 2),
        decided_by=carl,
    )
    assert ent_a.name not in client.get(reverse("public_sanction_list")).content.decode()
    assert ent_a.name in client.get(reverse("public_sanction_list") + "?show=all").content.decode()


def test_r_m2_cancelled_enterprise_cannot_issue_certificates(ent_a, carl):
    _approved(ent_a)
    prefix_for(ent_a)
    batch = approved_batch(ent_a, "passed")
    assert issue_problems(batch, dt.date(2026, 11, 20), dt.date(2026, 11, 20)) == []
    sanction_impose(
        enterprise=ent_a,
        kind="cancelled",
        reason="组织替考",
        actor=carl,
        today=dt.date(2026, 11, 19),
    )
    problems = issue_problems(batch, dt.date(2026, 11, 18), dt.date(2026, 11, 20))
    assert any("重新备案前不得颁发证书" in str(p) for p in problems)


def test_r_m2_certificates_issued_after_a_cancellation_are_flagged(
    world, ent_a, ent_b, alice, carl
):
    issued_batch(ent_a, alice, "passed", issued_on=dt.date(2026, 11, 20))
    before = Certificate.objects.get(enterprise=ent_a)
    # Recorded as it happened before the rule refused it (e.g. data imported from elsewhere).
    SanctionFactory(enterprise=ent_a, decided_on=dt.date(2026, 11, 20), decided_by=carl)
    SanctionFactory(enterprise=ent_b, decided_on=dt.date(2026, 12, 1), decided_by=carl)
    flagged = list(certificates_after_cancellation(city=world["city"]))
    assert flagged == [before]
    assert list(certificates_after_cancellation(city=world["other_city"])) == []
    Sanction.objects.filter(enterprise=ent_a).update(decided_on=dt.date(2026, 11, 21))
    assert list(certificates_after_cancellation(city=world["city"])) == []


def test_r_m2_a_filing_under_review_when_the_enterprise_is_sanctioned_cannot_be_approved(
    monkeypatch, ent_a, carl
):
    # The enterprise re-files while its earlier filing stands; the city then cancels for fraud.
    _approved(ent_a)
    under_review = complete_filing(ent_a, status="city_review", skip_onsite=True)
    sanction_impose(
        enterprise=ent_a, kind="cancelled", reason="组织替考", actor=carl, today=DECIDED
    )
    monkeypatch.setattr(filing_services, "_today", lambda: DECIDED + dt.timedelta(days=3))
    with pytest.raises(ServiceError) as refused:
        review_services.filing_approve(filing=under_review, actor=carl)
    assert refused.value.problems[0].rule == "R-M2"
    assert "R-M2" not in str(refused.value.problems[0])
    assert Filing.objects.get(pk=under_review.pk).status == "city_review"
