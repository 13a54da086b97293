"""Pages of the city's random draws (双随机一公开, R-M1, R-C2): the supervisor pool, the draws
and the yearly coverage. A district whose city delegates draws to it (seed 000 §五) draws among
its own enterprises from the city's pool and publishes its draws the same way; any other district
gets a 404. Access gate → form → service → redirect or render; "not yours" is 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from portal.core.audit import audit_events_for
from portal.core.errors import ServiceError, StaleEdit
from portal.core.feedback import keep_input_after_stale_edit, report_refusal
from portal.core.models import BureauLevel
from portal.core.xlsx import xlsx_response
from supervision.draws import selectors, services
from supervision.draws.algorithm import (
    SESSION_HORIZON_DAYS,
    UNINSPECTED_BOOST,
    draw_create,
    draw_matches_record,
    uninspected_weight,
)
from supervision.draws.algorithm import supervisor_pool as supervisor_pool_of
from supervision.draws.forms import DrawForm, SupervisorProfileForm
from supervision.draws.permissions import (
    access_draw,
    access_own_draw,
    access_profile,
    owns_draw,
)
from supervision.draws.spreadsheets import coverage_workbook
from supervision.models import DrawKind

PAGE_SIZE = 50
CONFLICT_REASONS = {
    "employer": gettext_lazy("works there (本单位)"),
    "inspected_last_time": gettext_lazy("made its last inspection (上次检查)"),
}


def _today():
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------
# The supervisor pool (督导员名录)


@login_required
@require_safe
def supervisor_pool(request: HttpRequest) -> HttpResponse:
    city = selectors.require_city_staff(request.user)
    year = _today().year
    return render(
        request,
        "supervision/pool_list.html",
        {
            "city": city,
            "year": year,
            "profiles": selectors.pool_for_city(city=city, year=year),
            "can_add": services.pool_candidates(city=city).exists(),
        },
    )


@login_required
def supervisor_add(request: HttpRequest) -> HttpResponse:
    city = selectors.require_city_staff(request.user)
    today = _today()
    form = SupervisorProfileForm(
        request.POST or None,
        candidates=services.pool_candidates(city=city),
        employers=services.employer_choices(city=city, today=today),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile = services.supervisor_profile_save(
                city=city,
                actor=request.user,
                today=today,
                user=data["user"],
                employer=data["employer"],
                employer_name=data["employer_name"],
                active=data["active"],
            )
        except ServiceError as error:
            report_refusal(request, error, form=form)
        else:
            messages.success(
                request, _("%(name)s is in the supervisor pool.") % {"name": str(profile)}
            )
            return redirect("supervisor_pool")
    return render(request, "supervision/pool_form.html", {"form": form, "city": city})


@login_required
def supervisor_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = access_profile(user=request.user, profile_id=pk)
    city = profile.city
    today = _today()
    employers = services.employer_choices(city=city, today=today)
    if request.method != "POST":
        form = SupervisorProfileForm(
            employers=employers,
            initial=model_to_dict(profile, ["employer", "employer_name", "active", "version"]),
        )
        return render(request, "supervision/pool_form.html", {"form": form, "profile": profile})
    form = SupervisorProfileForm(request.POST, employers=employers)
    context = {"form": form, "profile": profile}
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.supervisor_profile_save(
                city=city,
                actor=request.user,
                today=today,
                profile=profile,
                employer=data["employer"],
                employer_name=data["employer_name"],
                active=data["active"],
                expected_version=data["version"] or 0,
            )
        except StaleEdit as error:
            report_refusal(request, error)
            context["stale"] = [
                (
                    _("works at (filed enterprise)"),
                    profile.employer.name if profile.employer else "—",
                ),
                (_("work unit"), profile.employer_name or "—"),
                (_("in the draw pool"), _("yes") if profile.active else _("no")),
            ]
            keep_input_after_stale_edit(form, profile)
        except ServiceError as error:
            report_refusal(request, error, form=form)
        else:
            messages.success(request, _("Saved."))
            return redirect("supervisor_pool")
    return render(request, "supervision/pool_form.html", context)


# ---------------------------------------------------------------------------------------------
# Draws


@login_required
@require_safe
def draw_list(request: HttpRequest) -> HttpResponse:
    city, district = selectors.require_draw_scope(request.user)
    draws = selectors.draw_list_for_user(user=request.user)
    years = sorted(set(draws.values_list("year", flat=True)), reverse=True)
    year = request.GET.get("year", "")
    if year.isdigit():
        draws = draws.filter(year=int(year))
    page = Paginator(draws.order_by("-drawn_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "supervision/draw_list.html",
        {"city": city, "district": district, "page": page, "years": years, "year": year},
    )


@login_required
def draw_new(request: HttpRequest) -> HttpResponse:
    city, district = selectors.require_draw_scope(request.user)
    today = _today()
    form = DrawForm(
        request.POST or None,
        initial={"title": selectors.next_title(city=city, today=today, district=district)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draw = draw_create(
                city=city,
                actor=request.user,
                title=data["title"],
                kind=data["kind"],
                target_count=data["target_count"],
                supervisors_per_target=data["supervisors_per_target"],
                today=today,
                district=district,
            )
        except ServiceError as error:
            report_refusal(request, error, form=form)
        else:
            messages.success(
                request,
                _("The draw is made: %(n)s targets. Check it, then publish it.")
                % {"n": draw.inspections.count()},
            )
            return redirect("draw_detail", pk=draw.pk)
    return render(
        request,
        "supervision/draw_form.html",
        {
            "form": form,
            "city": city,
            "district": district,
            "pool_size": len(supervisor_pool_of(city=city)),
            "horizon": SESSION_HORIZON_DAYS,
        },
    )


def _inspection_url(pk: int) -> str:
    return reverse("inspection_detail", kwargs={"pk": pk})


@login_required
@require_safe
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = access_draw(user=request.user, draw_id=pk)
    labels = selectors.target_labels(draw)
    names = selectors.person_names(draw.pool)
    inspections = selectors.draw_inspections(draw)
    drawn = {}
    for inspection in inspections:
        inspection.url = _inspection_url(inspection.pk)
        inspection.names = [names.get(a.supervisor_id, "?") for a in inspection.assignments.all()]
        target = (
            inspection.session_id if draw.kind == DrawKind.SESSIONS else inspection.enterprise_id
        )
        drawn[target] = inspection.position
    skipped = set(draw.skipped)
    candidates = [
        {
            "id": target_id,
            "label": labels.get(int(target_id), f"#{target_id}"),
            "weight": weight,
            "position": drawn.get(target_id),
            "skipped": target_id in skipped,
        }
        for target_id, weight in draw.candidates
    ]
    conflicts = [
        {
            "supervisor": names.get(note["supervisor"], f"#{note['supervisor']}"),
            "target": labels.get(int(note["target"]), f"#{note['target']}"),
            "reason": CONFLICT_REASONS.get(note["reason"], note["reason"]),
        }
        for note in draw.conflict_notes
    ]
    boosted = sum(1 for _id, weight in draw.candidates if float(weight) != 1)
    return render(
        request,
        "supervision/draw_detail.html",
        {
            "draw": draw,
            "inspections": inspections,
            "candidates": candidates,
            "boosted": boosted,
            "boost": max((float(w) for _i, w in draw.candidates), default=1),
            "conflicts": conflicts,
            "skipped": [labels.get(int(t), f"#{t}") for t in draw.skipped],
            "pool": [names.get(u, f"#{u}") for u in draw.pool],
            "matches": draw_matches_record(draw),
            "can_publish": owns_draw(request.user, draw),
            "events": audit_events_for(draw),
            "boost_factor": UNINSPECTED_BOOST,
        },
    )


@login_required
@require_POST
def draw_publish(request: HttpRequest, pk: int) -> HttpResponse:
    draw = access_own_draw(user=request.user, draw_id=pk)
    try:
        services.draw_publish(draw=draw, actor=request.user, today=_today())
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(
            # R-M1
            request,
            _("The draw is published on the public inspections page."),
        )
    return redirect("draw_detail", pk=pk)


# ---------------------------------------------------------------------------------------------
# Coverage (R-M1: every filed enterprise at least once a year)


def _coverage(request: HttpRequest):
    area = selectors.coverage_scope(request.user)
    today = _today()
    years = selectors.coverage_years(area=area, today=today)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and int(year) in years else today.year
    rows = selectors.coverage_rows(area=area, year=year, today=today)
    return area, year, years, rows


def _own_draws(user, rows) -> set[int]:
    """The draws on the coverage page the user may open (their own city's or district's)."""
    ids = {inspection.draw_id for row in rows for inspection in row.inspections}
    return set(
        selectors.draw_list_for_user(user=user).filter(pk__in=ids).values_list("pk", flat=True)
    )


@login_required
@require_safe
def coverage_report(request: HttpRequest) -> HttpResponse:
    area, year, years, rows = _coverage(request)
    today = _today()
    missing = sum(1 for row in rows if not row.inspected)
    return render(
        request,
        "supervision/coverage.html",
        {
            "area": area,
            "year": year,
            "years": years,
            "rows": rows,
            "missing": missing,
            "inspected": len(rows) - missing,
            "total": len(rows),
            # The city runs the draws and opens them; a province reads the cities' coverage.
            "is_city": area.level == BureauLevel.CITY,
            "is_province": area.level == BureauLevel.PROVINCE,
            "draws_here": selectors.draw_scope(request.user) is not None,
            "own_draws": _own_draws(request.user, rows),
            "weight_now": uninspected_weight(today),
            "boost_factor": UNINSPECTED_BOOST,
            "max_weight": 1 + UNINSPECTED_BOOST,
            "current_year": year == today.year,
        },
    )


@login_required
@require_safe
def coverage_export(request: HttpRequest) -> HttpResponse:
    area, year, _years, rows = _coverage(request)
    return xlsx_response(
        coverage_workbook(rows=rows, year=year, with_city=area.level == BureauLevel.PROVINCE),
        filename=f"{area.area_name}{year}年双随机抽查覆盖情况.xlsx",
    )
