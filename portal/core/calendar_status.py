import datetime as dt

from django.utils.translation import gettext as _

from portal.core import workdays


def next_year_calendar_warning(today: dt.date) -> str:
    """From 1 October, warn the city admin while next year's calendar is missing."""
    if today.month < 10 or workdays.has_calendar(today.year + 1):
        return ""
    return _(
        "The working-day calendar for %(year)s has not been entered yet. Deadlines that fall in "
        "%(year)s cannot be counted until it is: paste the State Council's holiday notice for "
        "%(year)s as soon as it is published."
    ) % {"year": today.year + 1}
