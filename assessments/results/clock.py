"""R-R1: the publicity and the result filing clock, as the enterprise and the city see them.

The look is the filing review clock's (filings.clock.Clock, templates/filings/_clock.html): days
left, overdue, or "calendar missing" when a date falls in a year without calendar data.
"""

import datetime as dt
from dataclasses import dataclass

from assessments.models import BatchStatus, ResultBatch
from filings.clock import Clock, clock_until, provisional_clock
from filings.eligibility import policy_for
from portal.core import workdays

# The filing clock runs until the city has the batch: while it is publicised, and again when
# the city returned it (R-R1 asks for the results within 15 working days after publicity).
RUNNING = {BatchStatus.PUBLICISED, BatchStatus.RETURNED}
FILED = {BatchStatus.SUBMITTED, BatchStatus.PROVINCE_REVIEW, BatchStatus.APPROVED}


def missing_calendar_message(start: dt.date) -> str:
    """The message of the first year from `start` on that has no calendar data."""
    year = start.year
    while year <= start.year + 2 and workdays.has_calendar(year):
        year += 1
    return str(workdays.CalendarMissing(year))


def filing_clock(batch: ResultBatch, today: dt.date) -> Clock | None:
    if batch.status not in RUNNING or batch.published_on is None:
        return None
    if batch.filing_due_on is None:
        # The deadline falls in a year without calendar data: a provisional date, marked so.
        policy = policy_for(batch.plan.enterprise)
        ends_on = batch.publicity_ends_on
        if ends_on is None:
            ends_on, _missing = workdays.provisional_add_working_days(
                batch.published_on, policy.publicity_working_days
            )
        return provisional_clock(ends_on, policy.result_filing_working_days, today)
    return clock_until(batch.filing_due_on, today)


def province_clock(batch: ResultBatch, today: dt.date) -> Clock | None:
    """Seed 004 §三(三): the province's review clock, from the city's approval on."""
    if batch.status != BatchStatus.PROVINCE_REVIEW or batch.city_approved_on is None:
        return None
    if batch.province_due_on is None:
        days = policy_for(batch.plan.enterprise).review_working_days
        return provisional_clock(batch.city_approved_on, days, today)
    return clock_until(batch.province_due_on, today)


def filed_late(batch: ResultBatch) -> bool:
    """R-R1: submitted after the due date; accepted, but flagged to both sides."""
    return (
        batch.status in FILED
        and batch.submitted_on is not None
        and batch.filing_due_on is not None
        and batch.submitted_on > batch.filing_due_on
    )


@dataclass(frozen=True)
class Publicity:
    """Where the batch stands in its publicity (R-R1)."""

    ends_on: dt.date | None
    running: bool
    days_left: int | None = None
    error: str = ""

    @property
    def filing_opens_on(self) -> dt.date | None:
        # Publicity covers its last day; the filing is accepted from the next calendar day.
        return self.ends_on + dt.timedelta(days=1) if self.ends_on else None


def publicity_state(batch: ResultBatch, today: dt.date) -> Publicity | None:
    if batch.published_on is None:
        return None
    if batch.publicity_ends_on is None:
        return Publicity(None, True, error=missing_calendar_message(batch.published_on))
    running = batch.status == BatchStatus.PUBLICISED and today <= batch.publicity_ends_on
    if not running:
        return Publicity(batch.publicity_ends_on, False)
    try:
        days = workdays.working_days_between(today, batch.publicity_ends_on)
    except workdays.CalendarMissing as missing:
        return Publicity(batch.publicity_ends_on, True, error=str(missing))
    return Publicity(batch.publicity_ends_on, True, days_left=days)


def with_clocks(batches, today: dt.date) -> list[ResultBatch]:
    rows = list(batches)
    for batch in rows:
        batch.clock = filing_clock(batch, today) or province_clock(batch, today)
        batch.late = filed_late(batch)
    return rows
