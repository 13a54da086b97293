"""R-F4: when a bureau accepts filing applications.

A jurisdiction accepts them all year, or within windows: on dates, or on the same days every
year. The windows in force for an enterprise are those of the lowest level above it that may set
windows (a district only where its city delegates them) and has set some.
"""

import datetime as dt

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.core.models import ApplicationWindow, Bureau, Policy
from portal.core.policy import effective_policy


def _d(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def windows_in_force(bureau: Bureau) -> tuple[Bureau | None, list[ApplicationWindow]]:
    """The bureau whose windows apply at `bureau` and those windows; (None, []) when the
    jurisdiction accepts applications all year."""
    chain = bureau.chain()
    # The chain's policy rows, read once for every level resolved below.
    rows = {row.bureau_id: row for row in Policy.objects.filter(bureau__in=chain)}
    if effective_policy(bureau, rows).filing_open_all_year:
        return None, []
    by_bureau: dict[int, list[ApplicationWindow]] = {}
    for window in ApplicationWindow.objects.filter(bureau__in=chain):
        by_bureau.setdefault(window.bureau_id, []).append(window)
    for level in reversed(chain):
        windows = by_bureau.get(level.pk)
        if not windows:
            continue
        if level is chain[0] or "application_windows" in effective_policy(level, rows).powers:
            return level, windows
    return chain[-1], []


def open_window(windows: list[ApplicationWindow], today: dt.date) -> tuple[dt.date, dt.date] | None:
    for window in windows:
        occurrence = window.next_occurrence(today)
        if occurrence and occurrence[0] <= today <= occurrence[1]:
            return occurrence
    return None


def next_window(windows: list[ApplicationWindow], today: dt.date) -> tuple[dt.date, dt.date] | None:
    """The next occurrence to open after `today`."""
    upcoming = [
        occurrence
        for window in windows
        if (occurrence := window.next_occurrence(today)) and occurrence[0] > today
    ]
    if not upcoming:
        # A yearly window that has just closed opens again next year.
        upcoming = [
            window.occurrence(today.year + 1) for window in windows if window.repeat == "yearly"
        ]
    return min(upcoming) if upcoming else None


def window_problem(bureau: Bureau, today: dt.date) -> str:
    """Why an enterprise registered at `bureau` cannot file on `today` ("" when it can)."""
    owner, windows = windows_in_force(bureau)
    if owner is None or open_window(windows, today):
        return ""
    nxt = next_window(windows, today)
    if nxt is not None:
        return _(
            "%(bureau)s accepts applications only within its application windows; the next "
            "window opens on %(opens)s and closes on %(closes)s."
        ) % {"bureau": owner.name, "opens": _d(nxt[0]), "closes": _d(nxt[1])}
    return _(
        "%(bureau)s accepts applications only within its application windows, and no further "
        "window has been announced yet."
    ) % {"bureau": owner.name}


def window_status(bureau: Bureau, today: dt.date) -> dict:
    """What the filing page says about windows: open all year, open until, or next opening."""
    owner, windows = windows_in_force(bureau)
    if owner is None:
        return {"all_year": True}
    current = open_window(windows, today)
    return {
        "all_year": False,
        "bureau": owner,
        "open": current,
        "next": None if current else next_window(windows, today),
    }
