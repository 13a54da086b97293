"""R-F6: the 20-working-day review clock as reviewers and enterprises see it."""

import datetime as dt
from dataclasses import dataclass

from filings.models import Filing, FilingStatus
from portal import workdays

SOON_WORKING_DAYS = 5


@dataclass(frozen=True)
class Clock:
    due_on: dt.date | None
    days_left: int | None
    error: str = ""

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.overdue else 0

    @property
    def soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= SOON_WORKING_DAYS


RUNNING = {FilingStatus.CITY_REVIEW, FilingStatus.EXPERT_REVIEW}


def review_clock(filing: Filing, today: dt.date) -> Clock | None:
    if filing.status not in RUNNING or filing.received_on is None:
        return None
    if filing.due_on is None:
        # The deadline falls in a year without calendar data: say so, never guess.
        year = filing.received_on.year
        while workdays.has_calendar(year):
            year += 1
        return Clock(None, None, str(workdays.CalendarMissing(year)))
    try:
        return Clock(filing.due_on, workdays.working_days_between(today, filing.due_on))
    except workdays.CalendarMissing as missing:
        return Clock(filing.due_on, None, str(missing))


def correction_clock(filing: Filing, today: dt.date) -> Clock | None:
    if filing.status != FilingStatus.RETURNED or filing.correction_deadline is None:
        return None
    try:
        days = workdays.working_days_between(today, filing.correction_deadline)
    except workdays.CalendarMissing as missing:
        return Clock(filing.correction_deadline, None, str(missing))
    return Clock(filing.correction_deadline, days)


def with_clocks(filings, today: dt.date) -> list[Filing]:
    rows = list(filings)
    for filing in rows:
        filing.clock = review_clock(filing, today) or correction_clock(filing, today)
    return rows
