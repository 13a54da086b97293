"""Score pages (R-S2, R-S3): the grid, the Excel template, its import, the export of results.

The plan's enterprise records scores once the city has acknowledged the plan and until the
results go to publicity; the bureaus that see the plan read the grid and download the export.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.edits import posted_version
from assessments.models import ImplementationPlan
from assessments.plans.permissions import access_acknowledged_plan
from assessments.results.scoring import RESULT_LABELS
from assessments.scores import services as score_services
from assessments.scores.forms import ScoreGrid, ScoreImportForm
from assessments.scores.spreadsheets import ScoreFileError, score_export_xlsx, score_template_xlsx
from portal.core.access import require_role
from portal.core.errors import ServiceError, StaleEdit
from portal.core.models import Role
from portal.core.xlsx import xlsx_response

# 100 rows of at most 5 scores, 2 checkboxes and the evidence stay below Django's
# DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) in one post.
PAGE_SIZE = 100
MESSAGES_SHOWN = 20


def _scored_plan(request: HttpRequest, pk: int, *, owner: bool = False) -> ImplementationPlan:
    """A plan the city has acknowledged; with `owner`, only for the plan's enterprise."""
    roles = {Role.ENTERPRISE} if owner else None
    return access_acknowledged_plan(user=request.user, plan_id=pk, roles=roles)


def _open_plan(request: HttpRequest, pk: int):
    """The enterprise's plan whose scores may be changed now, with its score sheet."""
    plan = _scored_plan(request, pk, owner=True)
    sheet = score_services.score_sheet_for(plan)
    if not sheet.editable:
        raise Http404
    return plan, sheet


def _entries(plan: ImplementationPlan):
    return plan.roster.order_by("seq", "pk").prefetch_related("scores")


def _grid_url(plan: ImplementationPlan, page: int) -> str:
    url = reverse("score_grid", args=[plan.pk])
    return f"{url}?page={page}" if page > 1 else url


@login_required
def score_grid(request: HttpRequest, pk: int) -> HttpResponse:
    posting = request.method == "POST"
    plan = _scored_plan(request, pk, owner=posting)
    sheet = score_services.score_sheet_for(plan)
    is_owner = require_role(request.user).is_enterprise
    can_edit = is_owner and sheet.editable
    page = Paginator(_entries(plan), PAGE_SIZE).get_page(
        request.POST.get("page") if posting else request.GET.get("page")
    )
    if posting and not sheet.editable:
        messages.error(request, sheet.refusal)
        return redirect(_grid_url(plan, page.number))
    entries = _posted_entries(request, plan) if posting else page.object_list
    grid = ScoreGrid(
        entries=entries,
        components=sheet.components,
        direct_allowed=sheet.direct_allowed,
        data=request.POST if posting else None,
    )
    version = plan.version
    if posting and grid.is_valid():
        try:
            changed = score_services.scores_save(
                plan=plan,
                actor=request.user,
                rows=grid.cleaned,
                expected_version=posted_version(request.POST) or 0,
            )
        except StaleEdit as error:
            messages.error(request, error.message)
            grid.show_current(_entries(plan).filter(pk__in=[e.pk for e in grid.entries]))
            version = ImplementationPlan.objects.values_list("version", flat=True).get(pk=plan.pk)
        except ServiceError as error:
            messages.error(request, error.message)
            version = posted_version(request.POST)
        else:
            messages.success(
                request,
                _("Saved: %(count)s examinees changed; their results are updated.")
                % {"count": len(changed)},
            )
            return redirect(_grid_url(plan, page.number))
    elif posting:
        messages.error(
            request,
            _("Nothing was saved: %(count)s inputs need correcting; they are marked below.")
            % {"count": len(grid.errors)},
        )
        version = posted_version(request.POST)
    return render(
        request,
        "assessments/score_grid.html",
        {
            "plan": plan,
            "sheet": sheet,
            "grid": grid,
            "page": page,
            "version": version,
            "can_edit": can_edit,
            "is_owner": is_owner,
            "events": score_services.score_events(plan),
            "counts": score_services.result_counts(plan),
            "result_labels": RESULT_LABELS,
            "errors_shown": grid.errors[:MESSAGES_SHOWN],
            "errors_more": max(len(grid.errors) - MESSAGES_SHOWN, 0),
        },
    )


def _posted_entries(request: HttpRequest, plan: ImplementationPlan) -> list:
    """The examinees of the posted page, as the page named them when it was shown."""
    try:
        ids = [int(value) for value in request.POST.get("entries", "").split(",") if value]
    except ValueError:
        raise Http404 from None
    entries = list(_entries(plan).filter(pk__in=ids))
    if len(entries) != len(set(ids)):
        raise Http404
    return entries


@login_required
@require_safe
def score_template(request: HttpRequest, pk: int) -> HttpResponse:
    plan, sheet = _open_plan(request, pk)
    content = score_template_xlsx(title=plan.title, layout=sheet.layout, entries=_entries(plan))
    return xlsx_response(content, filename=_("%(plan)s scores.xlsx") % {"plan": plan.title})


@login_required
def score_import(request: HttpRequest, pk: int) -> HttpResponse:
    plan, sheet = _open_plan(request, pk)
    form = ScoreImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            changed = score_services.scores_import(
                plan=plan, actor=request.user, data=form.content, info=form.info
            )
        except ScoreFileError as error:
            form.add_error("file", str(error))
        except ServiceError as error:
            messages.error(request, error.message)
            problems = error.problems
        else:
            messages.success(
                request,
                _(
                    "The score sheet is imported: %(count)s examinees changed; their results are "
                    "updated."
                )
                % {"count": len(changed)},
            )
            return redirect("score_grid", pk=plan.pk)
    return render(
        request,
        "assessments/score_import.html",
        {"plan": plan, "sheet": sheet, "form": form, "problems": problems},
    )


@login_required
@require_safe
def score_export(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _scored_plan(request, pk)
    layout = score_services.layout_for(plan)
    content = score_export_xlsx(title=plan.title, layout=layout, entries=_entries(plan))
    return xlsx_response(content, filename=_("%(plan)s results.xlsx") % {"plan": plan.title})
