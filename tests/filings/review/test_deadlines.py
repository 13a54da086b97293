"""Stored deadlines follow the working-day calendar as the city admin edits it (R-F6, R-F7)."""

import datetime as dt
from unittest import mock

from filings.models import FilingStatus
from filings.review import services as review_services
from portal.core.models import CalendarDay, CalendarYear, DayKind
from tests.support.factories import FilingFactory, expert_opinion


def _forwarded_on(day: dt.date, enterprise, actor):
    """A filing the district forwards to the city on `day`, which starts the R-F6 clock."""
    filing = FilingFactory(enterprise=enterprise, status="district_review")
    with mock.patch("filings.review.services._today", return_value=day):
        review_services.filing_district_forward(filing=filing, actor=actor, opinion="同意")
    filing.refresh_from_db()
    return filing


def test_r_f6_a_deadline_in_a_year_without_calendar_is_counted_once_the_year_is_entered(
    ent_a, carl, django_capture_on_commit_callbacks
):
    # Received on 2026-12-10: 20 working days reach into 2027, which has no calendar yet.
    filing = _forwarded_on(dt.date(2026, 12, 10), ent_a, carl)
    assert filing.due_on is None

    with django_capture_on_commit_callbacks(execute=True):
        CalendarYear.objects.create(year=2027, source="admin")
        CalendarDay.objects.create(date=dt.date(2027, 1, 1), kind=DayKind.HOLIDAY, name="元旦")
    filing.refresh_from_db()
    # 15 working days left in December 2026 after the 10th, then 1 January is a holiday.
    assert filing.due_on == dt.date(2027, 1, 8)


def test_r_f6_a_holiday_entered_later_moves_the_review_deadline(
    ent_a, carl, django_capture_on_commit_callbacks
):
    filing = _forwarded_on(dt.date(2026, 11, 2), ent_a, carl)
    assert filing.due_on == dt.date(2026, 11, 30)
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=dt.date(2026, 11, 16), kind=DayKind.HOLIDAY, name="示例")
    filing.refresh_from_db()
    assert filing.due_on == dt.date(2026, 12, 1)


def test_r_f7_returning_a_filing_ends_the_experts_assignments(ent_a, carl, erin, client):
    filing = FilingFactory(enterprise=ent_a, status="city_review", received_on=dt.date(2026, 11, 2))
    review_services.filing_assign_experts(filing=filing, actor=carl, experts=[erin])
    expert_opinion(filing, erin, "好", score=90, visited_on=dt.date(2026, 11, 3))
    assert erin.has_perm("filings.evaluate_filing", filing)
    review_services.filing_return(filing=filing, actor=carl, reason="补充考评人员证书")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.RETURNED
    assert not filing.expert_assignments.exists()
    client.force_login(erin)
    assert client.get(f"/filings/{filing.pk}/").status_code == 404
