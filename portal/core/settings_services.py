"""Writes of the city settings: the working-day calendar (policy values:
portal.core.policy_services; application windows: portal.core.window_services).

Every write locks what it changes, checks the rule, saves and records an audit event naming the
actor. Calendar writes also drop the cached working-day data once the transaction commits.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core import workdays
from portal.core.audit import audit_record, register_labels
from portal.core.errors import FieldProblem
from portal.core.models import (
    CalendarDay,
    CalendarYear,
    DayKind,
)

register_labels(
    actions={
        "calendar_year_create": gettext_lazy("calendar year created empty"),
        "calendar_year_import": gettext_lazy("calendar year imported"),
        "calendar_year_notice": gettext_lazy("calendar year entered from the holiday notice"),
        "calendar_day_add": gettext_lazy("calendar day added"),
        "calendar_day_edit": gettext_lazy("calendar day changed"),
        "calendar_day_delete": gettext_lazy("calendar day deleted"),
    },
    statuses={},
)


def _d(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def _weekday(day: dt.date) -> str:
    return date_format(day, "l")


# Working-day calendar ------------------------------------------------------------------------


def _calendar_changed(calendar_year: CalendarYear) -> None:
    calendar_year.save(update_fields=["updated_at"])
    # The signal handlers clear the cache at once; clearing again on commit keeps another thread
    # from caching the old rows it read between the write and the commit.
    workdays.clear_cache()
    transaction.on_commit(workdays.clear_cache)


def _day_label(day: CalendarDay) -> str:
    return f"{_d(day.date)} {day.get_kind_display()} {day.name}".strip()


def _check_day(*, calendar_year: CalendarYear, date: dt.date, kind: str) -> None:
    if date.year != calendar_year.year:
        raise FieldProblem(
            "date",
            _("%(date)s is not in %(year)s: enter it on the calendar page of its own year.")
            % {"date": _d(date), "year": calendar_year.year},
        )
    weekend = date.weekday() >= 5
    if kind == DayKind.HOLIDAY and weekend:
        raise FieldProblem(
            "kind",
            _(
                "%(date)s is a %(weekday)s and a day off anyway: entering it as a public holiday "
                "changes nothing. Enter only the holidays that fall on Monday to Friday."
            )
            % {"date": _d(date), "weekday": _weekday(date)},
        )
    if kind == DayKind.MAKEUP_WORKDAY and not weekend:
        raise FieldProblem(
            "kind",
            _(
                "%(date)s is a %(weekday)s and a working day anyway: entering it as a make-up "
                "working day changes nothing. Make-up working days fall on a Saturday or Sunday."
            )
            % {"date": _d(date), "weekday": _weekday(date)},
        )


@transaction.atomic
def calendar_day_save(
    *, calendar_year: CalendarYear, actor, data: dict, day: CalendarDay | None = None
) -> CalendarDay:
    """Add an exception to the weekday rule (day=None) or change one."""
    calendar_year = CalendarYear.objects.select_for_update().get(pk=calendar_year.pk)
    date, kind, name = data["date"], data["kind"], data.get("name", "")
    before = ""
    if day is not None:
        day = CalendarDay.objects.select_for_update().get(pk=day.pk)
        before = _day_label(day)
    # Renaming a seeded weekend holiday is harmless; only a new no-op entry is refused.
    if day is None or (day.date, day.kind) != (date, kind):
        _check_day(calendar_year=calendar_year, date=date, kind=kind)
    existing = CalendarDay.objects.filter(date=date).exclude(pk=day.pk if day else None).first()
    if existing is not None:
        raise FieldProblem(
            "date",
            _("%(date)s is already entered as %(entry)s; edit that entry instead.")
            % {
                "date": _d(date),
                "entry": existing.get_kind_display()
                + (f"“{existing.name}”" if existing.name else ""),
            },
        )
    values = {"date": date, "kind": kind, "name": name}
    try:
        with transaction.atomic():
            if day is None:
                day = CalendarDay.objects.create(**values)
            else:
                for field, value in values.items():
                    setattr(day, field, value)
                day.save(update_fields=list(values))
    except IntegrityError:
        raise FieldProblem(
            "date", _("%(date)s was entered by someone else just now.") % {"date": _d(date)}
        ) from None
    note = f"{before} → {_day_label(day)}" if before else _day_label(day)
    action = "calendar_day_edit" if before else "calendar_day_add"
    audit_record(obj=calendar_year, actor=actor, action=action, note=note)
    _calendar_changed(calendar_year)
    return day


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay, actor) -> None:
    calendar_year = CalendarYear.objects.select_for_update().get(pk=day.date.year)
    note = _day_label(day)
    CalendarDay.objects.filter(pk=day.pk).delete()
    audit_record(obj=calendar_year, actor=actor, action="calendar_day_delete", note=note)
    _calendar_changed(calendar_year)


def _refuse_existing_year(year: int) -> None:
    if CalendarYear.objects.filter(year=year).exists():
        raise FieldProblem(
            "year",
            _(
                "The calendar for %(year)s already exists; open it to add or change its "
                "holidays and make-up working days."
            )
            % {"year": year},
        )


@transaction.atomic
def calendar_year_create(*, year: int, actor, source: str = "") -> CalendarYear:
    """An empty year: from now on its weekdays count as working days until days are entered."""
    _refuse_existing_year(year)
    calendar_year = CalendarYear.objects.create(year=year, source=source)
    audit_record(obj=calendar_year, actor=actor, action="calendar_year_create", note=source)
    _calendar_changed(calendar_year)
    return calendar_year


def _chinese_calendar_year(year: int) -> tuple[str, list[CalendarDay]]:
    """The year's exceptions as the chinese-calendar package knows them, with its version."""
    import chinese_calendar

    version = getattr(chinese_calendar, "__version__", "")
    known = sorted({day.year for day in chinese_calendar.holidays})
    if year not in known:
        raise FieldProblem(
            "year",
            _(
                "The chinese-calendar package (version %(version)s) has no data for %(year)s; it "
                "knows %(first)s to %(last)s. Create the year empty and enter the public holidays "
                "and make-up working days the State Council announced."
            )
            % {"version": version, "year": year, "first": known[0], "last": known[-1]},
        )
    chinese_names = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}

    def name_of(value) -> str:
        return chinese_names.get(str(value or ""), str(value or ""))

    # Weekend holidays and weekday "workdays" change nothing (see _check_day), so they are skipped.
    days = [
        CalendarDay(date=day, kind=DayKind.HOLIDAY, name=name_of(name))
        for day, name in chinese_calendar.holidays.items()
        if day.year == year and day.weekday() < 5
    ]
    days += [
        CalendarDay(date=day, kind=DayKind.MAKEUP_WORKDAY, name=name_of(name))
        for day, name in chinese_calendar.workdays.items()
        if day.year == year and day.weekday() >= 5
    ]
    return f"chinese-calendar {version}".strip(), sorted(days, key=lambda day: day.date)


@transaction.atomic
def calendar_year_import(*, year: int, actor) -> CalendarYear:
    _refuse_existing_year(year)
    source, days = _chinese_calendar_year(year)
    calendar_year = CalendarYear.objects.create(year=year, source=source)
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(days)
    audit_record(
        obj=calendar_year,
        actor=actor,
        action="calendar_year_import",
        note=f"{source}: {len(days)}",
    )
    _calendar_changed(calendar_year)
    return calendar_year


def notice_days(notice) -> list[CalendarDay]:
    """The rows a parsed holiday notice gives its year: weekday days off and weekend make-up
    working days (a weekend day off or a weekday "working day" changes nothing)."""
    days = [
        CalendarDay(date=day.date, kind=DayKind.HOLIDAY, name=day.name)
        for day in notice.in_year(notice.days_off)
        if day.date.weekday() < 5
    ]
    days += [
        CalendarDay(date=day.date, kind=DayKind.MAKEUP_WORKDAY, name=day.name)
        for day in notice.in_year(notice.makeup_days)
        if day.date.weekday() >= 5
    ]
    return sorted(days, key=lambda day: day.date)


@transaction.atomic
def calendar_year_from_notice(*, notice, actor) -> CalendarYear:
    """Saves the year of a parsed State Council notice, replacing what the year held."""
    year = notice.year
    days = notice_days(notice)
    calendar_year, created = CalendarYear.objects.select_for_update().get_or_create(
        year=year, defaults={"source": _("State Council holiday notice")}
    )
    before = list(CalendarDay.objects.filter(date__year=year).order_by("date"))
    if not created:
        calendar_year.source = _("State Council holiday notice")
        calendar_year.save(update_fields=["source"])
    CalendarDay.objects.filter(date__year=year).delete()
    CalendarDay.objects.bulk_create(days)
    note = _("%(days)s public holidays and make-up working days") % {"days": len(days)}
    if before:
        note += "; " + _("replaced: %(days)s") % {
            "days": "、".join(_day_label(day) for day in before)
        }
    audit_record(obj=calendar_year, actor=actor, action="calendar_year_notice", note=note)
    _calendar_changed(calendar_year)
    return calendar_year
