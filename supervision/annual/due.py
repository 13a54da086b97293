"""R-M4: when the year-start annual report is due (setting ANNUAL_REPORT_DUE, "MM-DD").

Kept free of models so settings.py can call `check_month_day` while it reads the environment:
a bad value stops the start-up with the variable's name instead of failing on the first page.
"""

import datetime as dt
import re

from django.core.exceptions import ImproperlyConfigured

_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")


def check_month_day(name: str, value: str) -> tuple[int, int]:
    """(month, day) of a "MM-DD" value that exists in every year (so not 02-29)."""
    match = _MONTH_DAY.match(value or "")
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            # 2023 is not a leap year: a day valid there is valid in every year.
            dt.date(2023, month, day)
        except ValueError:
            pass
        else:
            return month, day
    raise ImproperlyConfigured(
        f"{name} must be a month and day that exists every year, as MM-DD (e.g. 03-31), "
        f"got {value!r}"
    )


def owes_report_since(year: int) -> dt.date:
    """R-M4: the report of `year` summarises the year before, so it is owed by enterprises whose
    filing was approved before `year` began (one filed in November reports the next year)."""
    return dt.date(year, 1, 1)


def annual_due_on(year: int) -> dt.date:
    """The day the annual report of `year` is due."""
    from django.conf import settings

    month, day = check_month_day("ANNUAL_REPORT_DUE", settings.ANNUAL_REPORT_DUE)
    return dt.date(year, month, day)
