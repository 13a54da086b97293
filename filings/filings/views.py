"""Filing pages: the lists, a filing, and the enterprise's draft (access gate → form → service
→ redirect or render)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from filings.clock import correction_clock, review_clock
from filings.eligibility import policy_for, submission_problems
from filings.filings import services
from filings.filings.documents import PLEDGE_TEXT, application_form_filename, application_form_pdf
from filings.filings.forms import (
    MaterialForm,
    filing_form_class,
    scope_line_form_class,
)
from filings.filings.list_rows import FILING_LIST_FIELDS, filing_rows
from filings.filings.permissions import access_filing
from filings.filings.selectors import LISTING_ROLES, filing_list_for_user
from filings.levels import level_range_display
from filings.models import FilingStatus
from filings.review.forms import ConfirmationForm, DecisionForm, OpinionForm
from filings.review.permissions import DECIDING_ROLES
from portal.core.access import require_role
from portal.core.audit import audit_events_for
from portal.core.downloads import attachment_download
from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal
from portal.core.forms import AssignExpertsForm
from portal.core.listing import any_contains, list_filter
from portal.core.models import Role
from portal.core.pagination import BoundedPaginator
from portal.core.record_views import (
    confirmed_action,
    part_form,
    versioned_edit_page,
)
from portal.core.windows import window_status

# A filing row is the dearest of the lists (its review clock, status, dates and link cost about
# 0.3 ms each to build and render): 20 rows keep a reviewer's page as quick with ten thousand
# enterprises as with the demo's few (bench/scale.py).
FILING_PAGE_SIZE = 20


def _display(obj, field: str) -> str:
    getter = getattr(obj, f"get_{field}_display", None)
    value = getter() if getter else getattr(obj, field)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _editable_filing(request: HttpRequest, pk: int):
    """The enterprise's own filing while it may still change it; else 404."""
    filing = access_filing(user=request.user, filing_id=pk, roles={Role.ENTERPRISE})
    if not filing.is_editable:
        raise Http404
    return filing


@login_required
def filing_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, LISTING_ROLES)
    filings = filing_list_for_user(user=request.user)
    filings, status, query = list_filter(
        request,
        filings,
        statuses=FilingStatus.values,
        search=any_contains("enterprise__name", "number"),
    )
    filings = (
        filings.select_related(None)
        .select_related("enterprise", "district", "reviewing_bureau")
        .only(*FILING_LIST_FIELDS)
        .order_by("-updated_at", "-pk")
    )
    page = BoundedPaginator(filings, FILING_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = filing_rows(page.object_list, timezone.localdate())
    return render(
        request,
        "filings/filing_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "q": query,
            "statuses": FilingStatus.choices,
        },
    )


def _events_for(filing, user, role: Role):
    events = audit_events_for(filing)
    if role == Role.EXPERT:
        # Experts judge independently: the history must not show another expert's opinion,
        # just as the table of assignments does not.
        events = events.exclude(Q(action="expert_opinion") & ~Q(actor=user))
    return events


@login_required
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    filing = access_filing(user=request.user, filing_id=pk)
    membership = require_role(request.user)
    today = timezone.localdate()
    role = membership.role
    assignments = filing.expert_assignments.select_related("expert__membership")
    if role == Role.EXPERT:
        assignments = assignments.filter(expert=request.user)
    materials = list(filing.materials.all())
    names = {item.kind: item.name for item in policy_for(filing.enterprise).material_items}
    for material in materials:
        material.item_name = names.get(material.kind) or material.get_kind_display()
    context = {
        "filing": filing,
        "enterprise": filing.enterprise,
        "lines": filing.scope_lines.select_related("occupation", "work_type"),
        "materials": materials,
        "assignments": assignments,
        "events": _events_for(filing, request.user, role),
        "review_clock": review_clock(filing, today),
        "correction_clock": correction_clock(filing, today),
        "is_owner": role == Role.ENTERPRISE,
    }
    if role == Role.ENTERPRISE and filing.is_editable:
        context["problems"] = submission_problems(filing, today)
        context["filing_window"] = window_status(filing.enterprise.district, today)
        present = {m.kind for m in context["materials"]}
        context["checklist"] = [
            (item.name, item.required, item.kind in present)
            for item in policy_for(filing.enterprise).material_items
        ]
        context["pledge_text"] = PLEDGE_TEXT
        context["line_form"] = scope_line_form_class(filing.enterprise)(
            initial={"version": filing.version}
        )
    if role == Role.EXPERT:
        context["my_assignment"] = assignments.first()
    # R-F5: only the reviewing bureau acts; a city reads a province-routed filing of its area.
    deciding = role in DECIDING_ROLES and filing.reviewing_bureau_id == membership.bureau_id
    if deciding and filing.status in (FilingStatus.CITY_REVIEW, FilingStatus.EXPERT_REVIEW):
        context["assign_form"] = AssignExpertsForm(city=membership.bureau)
        context["decision_form"] = DecisionForm()
        context["can_decide"] = (
            filing.status == FilingStatus.CITY_REVIEW and filing.skip_onsite
        ) or (
            filing.status == FilingStatus.EXPERT_REVIEW
            and not any(a.submitted_at is None for a in context["assignments"])
        )
    if deciding and filing.status == FilingStatus.CONFIRMATION:
        # Seed 002 §六(三): another officer than the proposer confirms.
        context["own_proposal"] = filing.proposed_by_id == request.user.pk
        if not context["own_proposal"]:
            context["confirmation_form"] = ConfirmationForm()
    if role == Role.DISTRICT and filing.status == FilingStatus.DISTRICT_REVIEW:
        context["opinion_form"] = OpinionForm()
    return render(request, "filings/filing_detail.html", context)


# Filings: the enterprise edits and submits ----------------------------------------------------


@login_required
def filing_create(request: HttpRequest) -> HttpResponse:
    enterprise = require_role(request.user, {Role.ENTERPRISE}).enterprise
    form_class = filing_form_class(enterprise)
    form = form_class(request.POST or None, initial=services.application_form_initial(enterprise))
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form_class.Meta.fields}
        try:
            filing = services.filing_create(enterprise=enterprise, actor=request.user, data=data)
        except ServiceError as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The draft is saved. Now add the scope and materials."))
            return redirect("filing_detail", pk=filing.pk)
    context = {
        "form": form,
        "enterprise": enterprise,
        "filing_window": window_status(enterprise.district, timezone.localdate()),
    }
    return render(request, "filings/filing_form.html", context)


@login_required
def filing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _editable_filing(request, pk)
    form_class = filing_form_class(filing.enterprise)
    return versioned_edit_page(
        request,
        filing,
        name="filing",
        form_class=form_class,
        data=lambda form: {field: form.cleaned_data[field] for field in form_class.Meta.fields},
        save=lambda data, version: services.filing_update(
            filing=filing, actor=request.user, data=data, expected_version=version
        ),
        current=lambda: access_filing(user=request.user, filing_id=pk, roles={Role.ENTERPRISE}),
        fields=form_class.Meta.fields,
        display=_display,
        template="filings/filing_form.html",
        detail="filing_detail",
        context={"enterprise": filing.enterprise},
        refusal_on_form=False,
    )


@login_required
def scope_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _editable_filing(request, pk)
    return _scope_line_form(request, filing, line=None)


@login_required
def scope_line_edit(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    filing = _editable_filing(request, pk)
    line = get_object_or_404(filing.scope_lines, pk=line_id)
    return _scope_line_form(request, filing, line=line)


def _scope_line_form(request: HttpRequest, filing, *, line) -> HttpResponse:
    return part_form(
        request,
        owner=filing,
        part=line,
        name="line",
        form_class=scope_line_form_class(filing.enterprise),
        save=lambda instance, version: services.filing_line_save(
            filing=filing, actor=request.user, line=instance, expected_version=version
        ),
        saved=_("The scope line is saved."),
        template="filings/scope_line_form.html",
        detail="filing_detail",
        context={"filing": filing},
        refusal_on_form=False,
    )


def _line_label(line) -> str:
    work_type = f"（{line.work_type}）" if line.work_type else ""
    return f"{line.occupation}{work_type}：{level_range_display(line.levels)}"


def _remove_from_draft(
    request: HttpRequest, pk: int, *, items: str, item_id: int, remove, done, question, describe
):
    """Removes one scope line or material (`items`) of the enterprise's editable filing, after
    a page that asks."""
    filing = access_filing(user=request.user, filing_id=pk, roles={Role.ENTERPRISE})
    item = getattr(filing, items).filter(pk=item_id).first()
    if item is None or not filing.is_editable:
        raise Http404
    return confirmed_action(
        request,
        lambda: remove(filing, item),
        done=done,
        detail="filing_detail",
        pk=filing.pk,
        question=question,
        what=describe(item),
    )


@login_required
@require_http_methods(["GET", "POST"])
def scope_line_delete(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    return _remove_from_draft(
        request,
        pk,
        items="scope_lines",
        item_id=line_id,
        remove=lambda filing, line: services.filing_line_delete(
            filing=filing, actor=request.user, line=line
        ),
        done=_("The scope line is removed."),
        question=_("Remove this occupation from the filing?"),
        describe=_line_label,
    )


@login_required
def material_upload(request: HttpRequest, pk: int) -> HttpResponse:
    filing = _editable_filing(request, pk)
    items = policy_for(filing.enterprise).material_items
    form = MaterialForm(request.POST or None, request.FILES or None, items=items)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.filing_material_add(
                filing=filing,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                upload=upload,
                checked=form.checked,
            )
        except ServiceError as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("“%(name)s” is uploaded.") % {"name": upload.name})
            return redirect("filing_detail", pk=filing.pk)
    return render(request, "filings/material_form.html", {"form": form, "filing": filing})


@login_required
@require_http_methods(["GET", "POST"])
def material_delete(request: HttpRequest, pk: int, material_id: int) -> HttpResponse:
    return _remove_from_draft(
        request,
        pk,
        items="materials",
        item_id=material_id,
        remove=lambda filing, material: services.filing_material_delete(
            filing=filing, actor=request.user, material=material
        ),
        done=_("The material is removed."),
        question=_("Remove this material from the filing?"),
        describe=lambda material: f"{material.get_kind_display()}：{material.original_name}",
    )


@login_required
def material_download(request: HttpRequest, pk: int, material_id: int) -> FileResponse:
    filing = access_filing(user=request.user, filing_id=pk)
    material = get_object_or_404(filing.materials, pk=material_id)
    return attachment_download(material)


@login_required
@require_POST
def filing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    filing = access_filing(user=request.user, filing_id=pk, roles={Role.ENTERPRISE})
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        filing = services.filing_submit(
            filing=filing,
            actor=request.user,
            expected_version=version,
            pledged=request.POST.get("pledge") == "on",
        )
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(
            request,
            _("The filing is submitted to %(where)s.") % {"where": filing.get_status_display()},
        )
    return redirect("filing_detail", pk=pk)


@login_required
@require_GET
def filing_application_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Seed 004 附件1: the application form as printed, to the enterprise and its reviewers."""
    filing = access_filing(user=request.user, filing_id=pk)
    response = HttpResponse(application_form_pdf(filing), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, application_form_filename(filing)
    )
    return response
