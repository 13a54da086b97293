"""Application windows (R-F4): who keeps a bureau's windows, their rows, and their writes.

A province, a city, or a district whose city delegated "application_windows" keeps its own
windows. A window is open once on dates or every year on the same days (stored in the year
2000). A bureau's windows never overlap, occurrence by occurrence, and a district's window lies
inside one of its city's windows. Every write locks the bureau, checks, saves and records an
audit event on the bureau with the window before and after.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.http import Http404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.audit import audit_record, register_labels
from portal.core.errors import FieldProblem, ServiceError
from portal.core.models import ApplicationWindow, Bureau, BureauLevel, WindowRepeat
from portal.core.policy import effective_policy
from portal.core.roles import membership_of
from portal.core.windows import windows_in_force

YEARLY_YEAR = 2000  # the year a yearly window's month and day are stored in (a leap year)

register_labels(
    actions={
        "window_add": gettext_lazy("application window added"),
        "window_edit": gettext_lazy("application window changed"),
        "window_delete": gettext_lazy("application window deleted"),
    },
    statuses={},
)


def _d(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def _md(day: dt.date) -> str:
    return day.strftime("%m-%d")


def may_keep_windows(bureau: Bureau) -> bool:
    """A province and a city keep windows; a district only where its city delegated them."""
    if bureau.level != BureauLevel.DISTRICT:
        return True
    return "application_windows" in effective_policy(bureau).powers


def access_window_bureau(*, user) -> Bureau:
    """The bureau whose windows `user` keeps: its own, as a policy administrator of a province, a
    city, or a district the city delegated windows to; 404 for anyone else."""
    membership = membership_of(user)
    if membership is None or not membership.is_policy_admin or membership.bureau is None:
        raise Http404
    if not may_keep_windows(membership.bureau):
        raise Http404
    return membership.bureau


def access_window(*, user, window_id: int) -> tuple[Bureau, ApplicationWindow]:
    bureau = access_window_bureau(user=user)
    try:
        return bureau, ApplicationWindow.objects.get(pk=window_id, bureau=bureau)
    except ApplicationWindow.DoesNotExist:
        raise Http404 from None


def window_label(window: ApplicationWindow) -> str:
    """ "2026-05-01 – 2026-05-31", or "every year 01-01 – 05-31", with its name in front."""
    if window.repeat == WindowRepeat.YEARLY:
        dates = _("every year %(opens)s – %(closes)s") % {
            "opens": _md(window.opens_on),
            "closes": _md(window.closes_on),
        }
    else:
        dates = f"{_d(window.opens_on)} – {_d(window.closes_on)}"
    return f"{window.name}（{dates}）" if window.name else dates


# Rows of the windows page ---------------------------------------------------------------------


@dataclass(frozen=True)
class WindowRow:
    window: ApplicationWindow
    label: str
    # The occurrence open today or the next to open; None when none is to come.
    occurrence: tuple[dt.date, dt.date] | None
    is_open: bool

    @property
    def is_over(self) -> bool:
        return self.occurrence is None


def window_rows(bureau: Bureau, today: dt.date) -> list[WindowRow]:
    rows = []
    for window in bureau.application_windows.order_by("repeat", "opens_on"):
        occurrence = window.next_occurrence(today)
        is_open = bool(occurrence and occurrence[0] <= today <= occurrence[1])
        rows.append(WindowRow(window, window_label(window), occurrence, is_open))
    return sorted(rows, key=lambda row: (row.occurrence is None, row.occurrence or ()))


@dataclass(frozen=True)
class BelowRow:
    """A window a district keeps under its city's delegation."""

    bureau: Bureau
    row: WindowRow
    # False when it no longer lies inside any window that applies at this bureau.
    inside: bool


def windows_below(bureau: Bureau, today: dt.date) -> list[BelowRow]:
    """The windows the districts of the city `bureau` keep, read-only on its windows page."""
    if bureau.level != BureauLevel.CITY:
        return []
    below = [child for child in bureau.children.order_by("code") if may_keep_windows(child)]
    owner, outer = windows_in_force(bureau)
    rows = []
    for child in below:
        for row in window_rows(child, today):
            inside = owner is None or any(window_inside(row.window, w) for w in outer)
            rows.append(BelowRow(child, row, inside))
    return rows


def city_windows_for(bureau: Bureau) -> tuple[Bureau | None, list[str]]:
    """For a district: the bureau whose windows its own must lie inside, and their labels."""
    if bureau.level != BureauLevel.DISTRICT:
        return None, []
    owner, outer = windows_in_force(bureau.parent)
    return owner, [window_label(window) for window in outer]


@dataclass(frozen=True)
class WindowsPage:
    """What the windows page says above the table."""

    all_year: bool  # the policy in force accepts applications all year
    in_force: Bureau | None  # the bureau whose windows apply here, when not this one


def windows_page_facts(bureau: Bureau) -> WindowsPage:
    owner, _windows = windows_in_force(bureau)
    if owner is None:
        return WindowsPage(all_year=True, in_force=None)
    return WindowsPage(all_year=False, in_force=owner if owner.pk != bureau.pk else None)


# Overlap and containment, occurrence by occurrence --------------------------------------------


def _spans(window: ApplicationWindow, first_year: int, last_year: int) -> list[tuple]:
    if window.repeat == WindowRepeat.ONCE:
        return [(window.opens_on, window.closes_on)]
    return [window.occurrence(year) for year in range(first_year, last_year + 1)]


def windows_overlap(a: ApplicationWindow, b: ApplicationWindow) -> bool:
    if a.repeat == WindowRepeat.YEARLY and b.repeat == WindowRepeat.YEARLY:
        return a.opens_on <= b.closes_on and b.opens_on <= a.closes_on
    once, other = (a, b) if a.repeat == WindowRepeat.ONCE else (b, a)
    first, last = once.opens_on.year, once.closes_on.year
    return any(
        opens <= once.closes_on and once.opens_on <= closes
        for opens, closes in _spans(other, first, last)
    )


def window_inside(inner: ApplicationWindow, outer: ApplicationWindow) -> bool:
    """Every occurrence of `inner` lies inside an occurrence of `outer`."""
    if inner.repeat == WindowRepeat.YEARLY:
        # A window repeating every year fits only inside another repeating one.
        return (
            outer.repeat == WindowRepeat.YEARLY
            and outer.opens_on <= inner.opens_on
            and inner.closes_on <= outer.closes_on
        )
    if inner.opens_on.year != inner.closes_on.year and outer.repeat == WindowRepeat.YEARLY:
        return False
    opens, closes = outer.occurrence(inner.opens_on.year)
    return opens <= inner.opens_on and inner.closes_on <= closes


def _check_inside_city(bureau: Bureau, candidate: ApplicationWindow) -> None:
    """A district's window lies inside one of the windows that apply at its city."""
    owner, outer = windows_in_force(bureau.parent)
    if owner is None:  # the city accepts applications all year
        return
    if not outer:
        raise ServiceError(
            _(
                "%(city)s has set no application window: a window of %(district)s must lie "
                "inside one of the city's windows."
            )
            % {"city": owner.name, "district": bureau.name}
        )
    if any(window_inside(candidate, window) for window in outer):
        return
    raise ServiceError(
        _(
            "The window %(window)s does not lie inside any window of %(city)s (%(windows)s): a "
            "district's window must lie inside one of its city's windows."
        )
        % {
            "window": window_label(candidate),
            "city": owner.name,
            "windows": "；".join(window_label(window) for window in outer),
        }
    )


# Writes --------------------------------------------------------------------------------------


def _candidate(bureau: Bureau, data: dict) -> ApplicationWindow:
    repeat = data.get("repeat") or WindowRepeat.ONCE
    opens_on, closes_on = data["opens_on"], data["closes_on"]
    if repeat == WindowRepeat.YEARLY:
        opens_on = opens_on.replace(year=YEARLY_YEAR)
        closes_on = closes_on.replace(year=YEARLY_YEAR)
    if closes_on < opens_on:
        if repeat == WindowRepeat.YEARLY:
            raise FieldProblem(
                "closes_md",
                _(
                    "A window that repeats every year must open and close in the same year: "
                    "“Closes on” (%(closes)s) comes before “Opens on” (%(opens)s). Enter two "
                    "windows instead, one until 12-31 and one from 01-01."
                )
                % {"closes": _md(closes_on), "opens": _md(opens_on)},
            )
        raise FieldProblem(
            "closes_on",
            _("“Closes on” (%(closes)s) must not be before “Opens on” (%(opens)s).")
            % {"closes": _d(closes_on), "opens": _d(opens_on)},
        )
    return ApplicationWindow(
        bureau=bureau,
        repeat=repeat,
        opens_on=opens_on,
        closes_on=closes_on,
        name=data.get("name", ""),
    )


@transaction.atomic
def application_window_save(
    *, bureau: Bureau, actor, data: dict, window: ApplicationWindow | None = None
) -> ApplicationWindow:
    """Add a window (window=None) or change one. `data`: name, repeat, opens_on, closes_on."""
    # The bureau row serialises concurrent window edits, so two overlapping adds cannot both pass.
    bureau = Bureau.objects.select_for_update().get(pk=bureau.pk)
    if not may_keep_windows(bureau):
        raise ServiceError(
            _("%(bureau)s may not set its own application windows.") % {"bureau": bureau.name}
        )
    candidate = _candidate(bureau, data)
    others = ApplicationWindow.objects.filter(bureau=bureau)
    if window is not None:
        others = others.exclude(pk=window.pk)
    for other in others:
        if windows_overlap(candidate, other):
            raise ServiceError(
                _(
                    "The window %(window)s overlaps the existing window %(other)s: the "
                    "application windows of %(bureau)s must not overlap."
                )
                % {
                    "window": window_label(candidate),
                    "other": window_label(other),
                    "bureau": bureau.name,
                }
            )
    if bureau.level == BureauLevel.DISTRICT:
        _check_inside_city(bureau, candidate)
    fields = ["name", "repeat", "opens_on", "closes_on"]
    if window is None:
        candidate.save()
        audit_record(obj=bureau, actor=actor, action="window_add", note=window_label(candidate))
        return candidate
    window = ApplicationWindow.objects.select_for_update().get(pk=window.pk, bureau=bureau)
    before = window_label(window)
    for field in fields:
        setattr(window, field, getattr(candidate, field))
    window.save(update_fields=fields)
    note = f"{before} → {window_label(window)}"
    audit_record(obj=bureau, actor=actor, action="window_edit", note=note)
    return window


@transaction.atomic
def application_window_delete(*, window: ApplicationWindow, actor) -> None:
    bureau = Bureau.objects.select_for_update().get(pk=window.bureau_id)
    label = window_label(window)
    ApplicationWindow.objects.filter(pk=window.pk, bureau=bureau).delete()
    audit_record(obj=bureau, actor=actor, action="window_delete", note=label)
