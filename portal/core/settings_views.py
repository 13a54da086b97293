"""Settings: the landing page of a bureau's administrator at any level (its policy values, see
policy_views), and a city's application windows (R-F4, kept in portal.core.window_views) and the
working-day calendar.

Only a bureau's administrator sees the landing page, only a city's administrator the windows and
the calendar; anyone else, a city reviewer included, gets a 404.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.core import workdays
from portal.core.access import access_administered_bureau, access_administered_city
from portal.core.calendar_status import next_year_calendar_warning
from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal
from portal.core.forms import (
    CalendarDayForm,
    CalendarYearForm,
)
from portal.core.models import (
    AuditEvent,
    Bureau,
    BureauLevel,
    CalendarDay,
    CalendarYear,
    DayKind,
    Policy,
)
from portal.core.policy import effective_policy, policy_row
from portal.core.policy_fields import presets_for_bureau, value_rows
from portal.core.policy_forms import delegated_now as row_delegated
from portal.core.policy_forms import delegation_choices
from portal.core.presets import PRESETS
from portal.core.record_views import form_page
from portal.core.roles import membership_of
from portal.core.settings_services import (
    calendar_day_delete,
    calendar_day_save,
    calendar_year_create,
    calendar_year_import,
)
from portal.core.window_services import window_rows

# Access gates --------------------------------------------------------------------------------


def _read_only(request: HttpRequest) -> HttpResponse | None:
    """After the gate, so that anyone but a city admin still gets a 404 for any method."""
    if request.method in ("GET", "HEAD"):
        return None
    return HttpResponseNotAllowed(["GET", "HEAD"])


# Reads ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    calendar_year: CalendarYear
    holidays: int
    makeup_workdays: int


def _year_rows() -> list[YearRow]:
    counts: dict[tuple[int, str], int] = {
        (row["year"], row["kind"]): row["n"]
        for row in CalendarDay.objects.annotate(year=ExtractYear("date"))
        .values("year", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [
        YearRow(
            calendar_year,
            counts.get((calendar_year.year, DayKind.HOLIDAY), 0),
            counts.get((calendar_year.year, DayKind.MAKEUP_WORKDAY), 0),
        )
        for calendar_year in CalendarYear.objects.order_by("-year")
    ]


def _recent_changes(city: Bureau, policy: Policy, limit: int = 15) -> list[AuditEvent]:
    """The settings history: this bureau's policy, windows and cities set up, and (for a city)
    the shared calendar."""
    types = ContentType.objects.get_for_models(Bureau, Policy, CalendarYear)
    found = Q(content_type=types[Policy], object_id=policy.pk) | Q(
        Q(action__startswith="window_") | Q(action="city_add"),
        content_type=types[Bureau],
        object_id=city.pk,
    )
    if city.level == BureauLevel.CITY:
        found |= Q(content_type=types[CalendarYear])
    events = AuditEvent.objects.filter(found)
    return list(events.select_related("actor__membership").order_by("-at", "-id")[:limit])


def _calendar_warnings(today: dt.date) -> list[str]:
    warnings = []
    if not workdays.has_calendar(today.year):
        warnings.append(str(workdays.CalendarMissing(today.year)))
    next_year = next_year_calendar_warning(today)
    if next_year:
        warnings.append(next_year)
    return warnings


def _holiday_name(name: str) -> str:
    """The seeded rows carry chinese-calendar's English names; Chinese readers get 国庆节."""
    if not translation.get_language().startswith("zh"):
        return name
    import chinese_calendar

    chinese = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
    return chinese.get(name, name)


@dataclass(frozen=True)
class Cell:
    day: dt.date | None
    working: bool = False
    entry: CalendarDay | None = None

    @property
    def css(self) -> str:
        if self.day is None:
            return "pad"
        if self.entry is not None:
            return self.entry.kind
        return "work" if self.working else "off"


def month_grids(year: int, entries: dict[dt.date, CalendarDay]) -> list[dict]:
    """Twelve month grids, Monday first, built from the stored rows (what the admin edits)."""
    months = []
    for month in range(1, 13):
        weeks = []
        working = 0
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(Cell(None))
                    continue
                entry = entries.get(day)
                is_working = entry.kind == DayKind.MAKEUP_WORKDAY if entry else day.weekday() < 5
                working += is_working
                cells.append(Cell(day, is_working, entry))
            weeks.append(cells)
        months.append({"month": dt.date(year, month, 1), "weeks": weeks, "working": working})
    return months


# Landing and policy --------------------------------------------------------------------------


@login_required
def city_settings(request: HttpRequest) -> HttpResponse:
    """The settings of the administrator's own bureau at any level; the application windows and
    the working-day calendar only for a city's administrator."""
    bureau = access_administered_bureau(user=request.user)
    if refused := _read_only(request):
        return refused
    today = timezone.localdate()
    row = policy_row(bureau)
    policy = effective_policy(bureau)
    city_admin = membership_of(request.user).is_city_admin
    context = {
        "bureau": bureau,
        "city": bureau,
        "rows": value_rows(bureau, policy),
        "delegation": [
            label
            for name, label in delegation_choices(bureau, policy)
            if name in row_delegated(bureau, row)
        ],
        "offers_delegation": bureau.level != BureauLevel.DISTRICT,
        "presets": presets_for_bureau(bureau),
        "preset": PRESETS.get(row.preset),
        "cities": list(bureau.children.order_by("code"))
        if bureau.level == BureauLevel.PROVINCE
        else [],
        "city_admin": city_admin,
        "windows": window_rows(bureau, today) if city_admin else [],
        "years": _year_rows() if city_admin else [],
        "warnings": _calendar_warnings(today) if city_admin else [],
        "changes": _recent_changes(bureau, row),
        "today": today,
    }
    return render(request, "core/settings/index.html", context)


# Delete pages ---------------------------------------------------------------------------------


def _delete_page(
    request: HttpRequest, *, delete, deleted: str, done: tuple, template: str, context: dict
) -> HttpResponse:
    """A confirmation page; a POST calls delete(), reports and redirects to redirect(*done)."""
    if request.method == "POST":
        delete()
        messages.success(request, deleted)
        return redirect(*done)
    return render(request, template, context)


# Working-day calendar ------------------------------------------------------------------------


@login_required
def calendar_year_add(request: HttpRequest) -> HttpResponse:
    access_administered_city(user=request.user)
    if request.method == "POST":
        form = CalendarYearForm(request.POST)
        if form.is_valid():
            year = form.cleaned_data["year"]
            try:
                if form.cleaned_data["how"] == CalendarYearForm.IMPORT:
                    calendar_year_import(year=year, actor=request.user)
                else:
                    calendar_year_create(
                        year=year, actor=request.user, source=form.cleaned_data["source"]
                    )
            except ServiceError as problem:
                report_refusal(request, problem, form=form)
            else:
                messages.success(
                    request, _("The calendar for %(year)s was created.") % {"year": year}
                )
                return redirect("calendar_year", year=year)
    else:
        form = CalendarYearForm(initial={"year": timezone.localdate().year + 1})
    return render(request, "core/settings/year_form.html", {"form": form})


@login_required
def calendar_year_page(request: HttpRequest, year: int) -> HttpResponse:
    access_administered_city(user=request.user)
    if refused := _read_only(request):
        return refused
    calendar_year = get_object_or_404(CalendarYear, year=year)
    days = list(CalendarDay.objects.filter(date__year=year).order_by("date"))
    for day in days:
        day.shown_name = _holiday_name(day.name)
    months = month_grids(year, {day.date: day for day in days})
    context = {
        "calendar_year": calendar_year,
        "days": days,
        "months": months,
        "working_days": sum(month["working"] for month in months),
        "weekdays": [dt.date(2024, 1, n) for n in range(1, 8)],  # 2024-01-01 was a Monday
    }
    return render(request, "core/settings/year_detail.html", context)


def _day_form_page(
    request: HttpRequest, calendar_year: CalendarYear, day: CalendarDay | None
) -> HttpResponse:
    initial = model_to_dict(day, ["date", "kind", "name"]) if day else None
    return form_page(
        request,
        CalendarDayForm(request.POST or None, initial=initial),
        save=lambda data: calendar_day_save(
            calendar_year=calendar_year, actor=request.user, data=data, day=day
        ),
        saved=_("The calendar day was saved."),
        done=reverse("calendar_year", args=[calendar_year.year]),
        template="core/settings/day_form.html",
        context={"calendar_year": calendar_year, "day": day},
    )


@login_required
def calendar_day_add(request: HttpRequest, year: int) -> HttpResponse:
    access_administered_city(user=request.user)
    calendar_year = get_object_or_404(CalendarYear, year=year)
    return _day_form_page(request, calendar_year, None)


@login_required
def calendar_day_edit(request: HttpRequest, day_id: int) -> HttpResponse:
    access_administered_city(user=request.user)
    day = get_object_or_404(CalendarDay, pk=day_id)
    calendar_year = get_object_or_404(CalendarYear, year=day.date.year)
    return _day_form_page(request, calendar_year, day)


@login_required
def calendar_day_remove(request: HttpRequest, day_id: int) -> HttpResponse:
    access_administered_city(user=request.user)
    day = get_object_or_404(CalendarDay, pk=day_id)
    calendar_year = get_object_or_404(CalendarYear, year=day.date.year)
    return _delete_page(
        request,
        delete=lambda: calendar_day_delete(day=day, actor=request.user),
        deleted=_("The calendar day was deleted."),
        done=("calendar_year", calendar_year.year),
        template="core/settings/day_delete.html",
        context={"calendar_year": calendar_year, "day": day},
    )
