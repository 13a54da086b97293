"""Entering a year's working-day calendar from the State Council's holiday notice: the city
administrator pastes the text, sees the parsed year as a calendar and the list of days, and saves
it. The saving request parses the text again; nothing parsed is trusted from the browser."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal.core.access import access_administered_city
from portal.core.forms import HolidayNoticeForm
from portal.core.holiday_notice import NoticeUnreadable, parse_holiday_notice
from portal.core.models import CalendarDay, CalendarYear
from portal.core.settings_services import calendar_year_from_notice, notice_days
from portal.core.settings_views import month_grids

# Years a notice may be for: the calendar the portal counts deadlines in.
_FIRST_YEAR, _LAST_YEAR = 2000, 2100


def _parse(form: HolidayNoticeForm):
    if not form.is_valid():
        return None
    try:
        notice = parse_holiday_notice(form.cleaned_data["text"])
    except NoticeUnreadable as problem:
        form.add_error("text", str(problem))
        return None
    if not _FIRST_YEAR <= notice.year <= _LAST_YEAR:
        form.add_error(
            "text",
            _("The notice is for %(year)s, which the portal's calendar does not cover.")
            % {"year": notice.year},
        )
        return None
    return notice


@login_required
def calendar_notice(request: HttpRequest) -> HttpResponse:
    access_administered_city(user=request.user)
    form = HolidayNoticeForm(request.POST or None)
    notice = _parse(form) if request.method == "POST" else None
    if notice is None:
        return render(request, "core/settings/notice_form.html", {"form": form})
    if request.POST.get("confirm") == "1":
        calendar_year_from_notice(notice=notice, actor=request.user)
        messages.success(
            request,
            _("The calendar for %(year)s was saved from the holiday notice.")
            % {"year": notice.year},
        )
        return redirect("calendar_year", year=notice.year)
    days = notice_days(notice)
    for day in days:
        day.shown_name = day.name
    months = month_grids(notice.year, {day.date: day for day in days})
    existing = CalendarYear.objects.filter(year=notice.year).first()
    context = {
        "form": form,
        "notice": notice,
        "days": days,
        "months": months,
        "working_days": sum(month["working"] for month in months),
        "weekdays": [dt.date(2024, 1, n) for n in range(1, 8)],  # 2024-01-01 was a Monday
        "existing": existing,
        "existing_days": CalendarDay.objects.filter(date__year=notice.year).count()
        if existing
        else 0,
    }
    return render(request, "core/settings/notice_confirm.html", context)
