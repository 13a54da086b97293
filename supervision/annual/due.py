"""R-M4: when the year-start annual report is due (setting ANNUAL_REPORT_DUE, "MM-DD", checked
by portal.env.check_month_day when the settings are read)."""

import datetime as dt

from portal.env import check_month_day


def owes_report_since(year: int) -> dt.date:
    """R-M4: the report of `year` summarises the year before, so it is owed by enterprises whose
    filing was approved before `year` began (one filed in November reports the next year)."""
    return dt.date(year, 1, 1)


def annual_due_on(year: int) -> dt.date:
    """The day the annual report of `year` is due."""
    from django.conf import settings

    month, day = check_month_day("ANNUAL_REPORT_DUE", settings.ANNUAL_REPORT_DUE)
    return dt.date(year, month, day)
