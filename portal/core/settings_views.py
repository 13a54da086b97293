"""City settings: the city's policy values, its application windows (R-F4, kept in
portal.core.window_views) and the working-day calendar.

Only a city administrator sees these pages; anyone else, a city reviewer included, gets a 404.
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
from portal.core.access import access_administered_city
from portal.core.calendar_status import next_year_calendar_warning
from portal.core.errors import ServiceError, StaleEdit
from portal.core.feedback import report_refusal
from portal.core.forms import (
    CalendarDayForm,
    CalendarYearForm,
    CityPolicyForm,
    material_choices,
)
from portal.core.models import (
    AuditEvent,
    Bureau,
    CalendarDay,
    CalendarYear,
    DayKind,
    Policy,
)
from portal.core.policy import effective_policy
from portal.core.record_views import form_page
from portal.core.settings_services import (
    calendar_day_delete,
    calendar_day_save,
    calendar_year_create,
    calendar_year_import,
    city_policy_for,
    city_policy_update,
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
    """The settings history: this city's policy and windows, and the shared calendar."""
    types = ContentType.objects.get_for_models(Bureau, Policy, CalendarYear)
    events = AuditEvent.objects.filter(
        Q(content_type=types[Policy], object_id=policy.pk)
        | Q(content_type=types[Bureau], object_id=city.pk, action__startswith="window_")
        | Q(content_type=types[CalendarYear])
    )
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


def _month_grids(year: int, entries: dict[dt.date, CalendarDay]) -> list[dict]:
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
    city = access_administered_city(user=request.user)
    if refused := _read_only(request):
        return refused
    today = timezone.localdate()
    row = city_policy_for(city=city)
    policy = effective_policy(city)
    materials = dict(material_choices())
    context = {
        "city": city,
        "policy": policy,
        "materials": [materials.get(kind, kind) for kind in policy.required_materials],
        "windows": window_rows(city, today),
        "years": _year_rows(),
        "warnings": _calendar_warnings(today),
        "changes": _recent_changes(city, row),
        "today": today,
    }
    return render(request, "core/settings/index.html", context)


@login_required
def city_policy_edit(request: HttpRequest) -> HttpResponse:
    city = access_administered_city(user=request.user)
    policy = city_policy_for(city=city)
    stale = False
    if request.method == "POST":
        form = CityPolicyForm(request.POST)
        if form.is_valid():
            try:
                city_policy_update(
                    policy=policy,
                    actor=request.user,
                    data=form.policy_data(),
                    expected_version=form.cleaned_data["version"],
                )
            except StaleEdit as problem:
                # Keep the user's input, but against the current version so a second save works.
                policy.refresh_from_db()
                data = request.POST.copy()
                data["version"] = str(policy.version)
                form = CityPolicyForm(data)
                form.is_valid()
                form.add_error(None, problem.message)
                stale = True
            else:
                messages.success(request, _("The city policy was saved."))
                return redirect("city_settings")
    else:
        form = CityPolicyForm(initial=CityPolicyForm.initial_for(effective_policy(city), policy))
    materials = dict(material_choices())
    in_force = effective_policy(city)
    context = {
        "city": city,
        "policy": in_force,
        "form": form,
        "stale": stale,
        "materials": [materials.get(kind, kind) for kind in in_force.required_materials],
    }
    return render(request, "core/settings/policy_form.html", context)


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
    months = _month_grids(year, {day.date: day for day in days})
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
