"""The mainland-China working-day calendar (DOMAIN.md "Working days").

Monday to Friday are working days, Saturday and Sunday are not, except for the dates a city
administrator entered as public holidays or make-up working days (调休). A date in a year with no
calendar data raises CalendarMissing: deadlines are never guessed.
"""

import datetime as dt
import threading
import time

from django.utils.translation import gettext as _

_CACHE_SECONDS = 60
_cache: dict[int, tuple[float, dict[dt.date, bool] | None]] = {}
_lock = threading.Lock()


class CalendarMissing(ValueError):
    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            _(
                "There is no working-day calendar for %(year)s yet: a city administrator must "
                "enter that year's public holidays and make-up working days before deadlines "
                "in it can be counted."
            )
            % {"year": year}
        )


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def _exceptions_for(year: int) -> dict[dt.date, bool]:
    """Dates of `year` whose working-day status differs from the weekday rule."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get(year)
    if cached is None or now - cached[0] > _CACHE_SECONDS:
        from portal.core.models import CalendarDay, CalendarYear, DayKind

        if CalendarYear.objects.filter(year=year).exists():
            days = CalendarDay.objects.filter(date__year=year).values_list("date", "kind")
            data = {day: kind == DayKind.MAKEUP_WORKDAY for day, kind in days}
        else:
            data = None
        cached = (now, data)
        with _lock:
            _cache[year] = cached
    if cached[1] is None:
        raise CalendarMissing(year)
    return cached[1]


def has_calendar(year: int) -> bool:
    try:
        _exceptions_for(year)
    except CalendarMissing:
        return False
    return True


def is_working_day(day: dt.date) -> bool:
    exceptions = _exceptions_for(day.year)
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The n-th working day after `day` (`day` itself not counted); n = 0 returns `day`."""
    if n < 0:
        raise ValueError("n must not be negative")
    current = day
    remaining = n
    while remaining:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(a: dt.date, b: dt.date) -> int:
    """The number of working days d with a < d <= b; negative when b is before a."""
    if b < a:
        return -working_days_between(b, a)
    count = 0
    current = a
    while current < b:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def provisional_note(year: int) -> str:
    return _(
        "The calendar for %(year)s has not been entered: this date is provisional, counted on "
        "weekends alone, and is recounted once the calendar is entered."
    ) % {"year": year}


def _working_or_weekday(day: dt.date, missing: list[int]) -> bool:
    try:
        return is_working_day(day)
    except CalendarMissing:
        if day.year not in missing:
            missing.append(day.year)
        return day.weekday() < 5


def provisional_add_working_days(day: dt.date, n: int) -> tuple[dt.date, list[int]]:
    """add_working_days where a year without calendar counts weekends alone; also answers the
    years that were missing (empty: the date is final)."""
    missing: list[int] = []
    current, remaining = day, n
    while remaining:
        current += dt.timedelta(days=1)
        if _working_or_weekday(current, missing):
            remaining -= 1
    return current, missing


def provisional_working_days_between(a: dt.date, b: dt.date) -> tuple[int, list[int]]:
    """working_days_between where a year without calendar counts weekends alone."""
    missing: list[int] = []
    low, high, sign = (a, b, 1) if a <= b else (b, a, -1)
    count, current = 0, low
    while current < high:
        current += dt.timedelta(days=1)
        count += _working_or_weekday(current, missing)
    return sign * count, missing
