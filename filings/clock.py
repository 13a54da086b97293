"""R-F6: the 20-working-day review clock as reviewers and enterprises see it."""

import datetime as dt
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from filings.models import Filing, FilingStatus
from portal.core import workdays
from portal.core.policy import EffectivePolicy, effective_policy

SOON_WORKING_DAYS = 5


@dataclass(frozen=True)
class Clock:
    due_on: dt.date | None
    days_left: int | None
    error: str = ""
    # Counted on weekends alone where a year's calendar is missing (workdays.provisional_note).
    note: str = ""

    @property
    def provisional(self) -> bool:
        return bool(self.note)

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def overdue_days(self) -> int:
        return -self.days_left if self.overdue else 0

    @property
    def soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= SOON_WORKING_DAYS

    # What filings/_clock.html prints, worked out here: lists print one clock per row.
    @property
    def css(self) -> str:
        return "late" if self.error or self.overdue else "soon" if self.soon else ""

    @property
    def label(self) -> str:
        if self.error:
            return gettext("calendar missing")
        if self.overdue:
            days = self.overdue_days
            return ngettext(
                "%(days)s working day overdue", "%(days)s working days overdue", days
            ) % {"days": days}
        return ngettext(
            "%(days)s working day left", "%(days)s working days left", self.days_left
        ) % {"days": self.days_left}

    @property
    def due_label(self) -> str:
        if not self.due_on:
            return ""
        due = date_format(self.due_on, "Y-m-d")
        return gettext("%(date)s (provisional)") % {"date": due} if self.provisional else due

    @property
    def html(self) -> SafeString:
        """filings/_clock.html: the days left or overdue, and the due date under them."""
        label = self.label
        explained = self.error or self.note
        if self.css or explained:
            title = format_html(' title="{}"', explained) if explained else ""
            label = format_html('<span class="{}"{}>{}</span>', self.css, title, label)
        return format_html('{}<div class="help">{} {}</div>', label, gettext("due"), self.due_label)


def provisional_clock(start: dt.date, working_days: int, today: dt.date) -> Clock:
    """The clock of a deadline that reaches into a year without calendar: the date counted on
    weekends alone, marked provisional; decisions that depend on it still refuse."""
    due_on, missing = workdays.provisional_add_working_days(start, working_days)
    days_left, later = workdays.provisional_working_days_between(today, due_on)
    year = min(missing + later) if missing + later else due_on.year
    return Clock(due_on, days_left, note=workdays.provisional_note(year))


# The review clock keeps running while a proposed decision waits for confirmation.
RUNNING = {FilingStatus.CITY_REVIEW, FilingStatus.EXPERT_REVIEW, FilingStatus.CONFIRMATION}


def review_clock(filing: Filing, today: dt.date) -> Clock | None:
    if filing.status not in RUNNING or filing.received_on is None:
        return None
    if filing.due_on is None:
        # The deadline falls in a year without calendar data: a provisional date, marked so.
        days = review_policy(filing).review_working_days
        return provisional_clock(filing.received_on, days, today)
    return clock_until(filing.due_on, today)


def clock_until(due_on: dt.date, today: dt.date) -> Clock:
    """The clock of a stored due date; the days left are provisional across a missing year."""
    days_left, missing = workdays.provisional_working_days_between(today, due_on)
    if missing:
        return Clock(due_on, days_left, note=workdays.provisional_note(min(missing)))
    return Clock(due_on, days_left)


def correction_clock(filing: Filing, today: dt.date) -> Clock | None:
    if filing.status != FilingStatus.RETURNED or filing.correction_deadline is None:
        return None
    return clock_until(filing.correction_deadline, today)


def with_clocks(filings, today: dt.date) -> list[Filing]:
    rows = list(filings)
    for filing in rows:
        filing.clock = review_clock(filing, today) or correction_clock(filing, today)
    return rows


def due_on_after(start: dt.date, working_days: int) -> dt.date | None:
    """R-F6: the day `working_days` after `start`; None while the calendar of that year is
    missing."""
    try:
        return workdays.add_working_days(start, working_days)
    except workdays.CalendarMissing:
        return None


def review_policy(filing: Filing) -> EffectivePolicy:
    """The policy of the bureau that reviews the filing (R-F5): its review period, whether a
    second officer confirms the decision, how long the filing is valid."""
    return effective_policy(filing.reviewing_bureau or filing.enterprise.routed_bureau)


def start_review(filing: Filing, today: dt.date, policy) -> list[str]:
    """R-F6: the reviewing bureau's 20-working-day clock starts on the day it receives the
    filing. Sets the dates on `filing` and answers the fields to save."""
    filing.received_on = today
    filing.due_on = due_on_after(today, policy.review_working_days)
    filing.skip_onsite = filing.enterprise.on_pilot_list
    return ["received_on", "due_on", "skip_onsite"]
