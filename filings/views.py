"""Filing pages: access gate → form → service → redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filings import services
from filings.clock import correction_clock, review_clock
from filings.eligibility import policy_for, submission_problems
from filings.forms import (
    AssignExpertsForm,
    DecisionForm,
    EnterpriseRegistrationForm,
    ExpertOpinionForm,
    FilingForm,
    MaterialForm,
    OpinionForm,
    ScopeLineForm,
)
from filings.list_rows import FILING_LIST_FIELDS, filing_rows
from filings.models import EnterpriseStatus, FilingStatus, MaterialKind
from filings.permissions import (
    access_assignment,
    access_enterprise,
    access_filing,
    access_filing_as_owner,
    access_filing_as_role,
)
from filings.selectors import enterprise_list_for_user, filing_list_for_user
from portal.core.audit import audit_events_for
from portal.core.errors import ServiceError, StaleEdit
from portal.core.feedback import report_refusal
from portal.core.pagination import BoundedPaginator
from portal.core.roles import membership_of

PAGE_SIZE = 50
# A filing row is the dearest of the lists (its review clock, status, dates and link cost about
# 0.3 ms each to build and render): 20 rows keep a reviewer's page as quick with ten thousand
# enterprises as with the demo's few (bench/scale.py, issue 6).
FILING_PAGE_SIZE = 20


def _display(obj, field: str) -> str:
    getter = getattr(obj, f"get_{field}_display", None)
    value = getter() if getter else getattr(obj, field)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def _own_enterprise(request: HttpRequest):
    membership = membership_of(request.user)
    if membership is None or membership.role != "enterprise":
        raise Http404
    return membership.enterprise


# Registration and enterprises ------------------------------------------------------------------


def enterprise_register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = EnterpriseRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enterprise = services.enterprise_register(
            data=form.enterprise_data(),
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            email=form.cleaned_data["email"],
        )
        messages.success(
            request,
            _(
                "%(name)s is registered. %(district)s will check and activate the account; you "
                "can log in now and prepare the filing meanwhile."
            )
            % {"name": enterprise.name, "district": enterprise.district.name},
        )
        return redirect("login")
    return render(request, "filings/enterprise_register.html", {"form": form})


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    if membership is None or membership.role not in ("district", "city"):
        raise Http404
    enterprises = enterprise_list_for_user(user=request.user).annotate(
        filing_count=Count("filings", filter=~Q(filings__status=FilingStatus.DRAFT))
    )
    status = request.GET.get("status", "")
    if status in EnterpriseStatus.values:
        enterprises = enterprises.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        enterprises = enterprises.filter(Q(name__icontains=query) | Q(credit_code__icontains=query))
    page = Paginator(enterprises.order_by("status", "name"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "filings/enterprise_list.html",
        {"page": page, "status": status, "q": query, "statuses": EnterpriseStatus.choices},
    )


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access_enterprise(user=request.user, enterprise_id=pk)
    filings = filing_list_for_user(user=request.user).filter(enterprise=enterprise)
    return render(
        request,
        "filings/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "filings": filings,
            "sanctions": enterprise.sanctions.all(),
            "events": audit_events_for(enterprise),
            "can_activate": membership_of(request.user).role == "district"
            and enterprise.status == EnterpriseStatus.PENDING,
        },
    )


@login_required
@require_POST
def enterprise_activate(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access_enterprise(user=request.user, enterprise_id=pk)
    if membership_of(request.user).role != "district":
        raise Http404
    try:
        services.enterprise_activate(enterprise=enterprise, actor=request.user)
        messages.success(request, _("%(name)s is activated.") % {"name": enterprise.name})
    except ServiceError as error:
        report_refusal(request, error)
    return redirect("enterprise_detail", pk=pk)


# Filings: lists and the detail page -----------------------------------------------------------


@login_required
def filing_list(request: HttpRequest) -> HttpResponse:
    membership = membership_of(request.user)
    if membership is None or membership.role == "supervisor":
        raise Http404
    filings = filing_list_for_user(user=request.user)
    status = request.GET.get("status", "")
    if status in FilingStatus.values:
        filings = filings.filter(status=status)
    query = request.GET.get("q", "").strip()
    if query:
        filings = filings.filter(Q(enterprise__name__icontains=query) | Q(number__icontains=query))
    filings = (
        filings.select_related(None)
        .select_related("enterprise", "district")
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


def _events_for(filing, user, role: str):
    events = audit_events_for(filing)
    if role == "expert":
        # Experts judge independently: the history must not show another expert's opinion,
        # just as the table of assignments does not.
        events = events.exclude(Q(action="expert_opinion") & ~Q(actor=user))
    return events


@login_required
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    filing = access_filing(user=request.user, filing_id=pk)
    membership = membership_of(request.user)
    today = timezone.localdate()
    role = membership.role
    context = {
        "filing": filing,
        "enterprise": filing.enterprise,
        "lines": filing.scope_lines.select_related("occupation", "work_type"),
        "materials": filing.materials.all(),
        "assignments": filing.expert_assignments.select_related("expert__membership"),
        "events": _events_for(filing, request.user, role),
        "review_clock": review_clock(filing, today),
        "correction_clock": correction_clock(filing, today),
        "role": role,
        "is_owner": role == "enterprise",
    }
    if role == "enterprise" and filing.is_editable:
        context["problems"] = submission_problems(filing, today)
        policy = policy_for(filing.enterprise)
        present = {m.kind for m in context["materials"]}
        labels = dict(MaterialKind.choices)
        context["checklist"] = [
            (labels.get(kind, kind), kind in present) for kind in policy.required_materials
        ]
        context["line_form"] = ScopeLineForm(initial={"version": filing.version})
        context["material_form"] = MaterialForm()
    if role == "expert":
        context["my_assignment"] = filing.expert_assignments.filter(expert=request.user).first()
    if role == "city" and filing.status in (FilingStatus.CITY_REVIEW, FilingStatus.EXPERT_REVIEW):
        context["assign_form"] = AssignExpertsForm(city=membership.bureau)
        context["decision_form"] = DecisionForm()
        context["can_decide"] = (
            filing.status == FilingStatus.CITY_REVIEW and filing.skip_onsite
        ) or (
            filing.status == FilingStatus.EXPERT_REVIEW
            and not any(a.submitted_at is None for a in context["assignments"])
        )
    if role == "district" and filing.status == FilingStatus.DISTRICT_REVIEW:
        context["opinion_form"] = OpinionForm()
    return render(request, "filings/filing_detail.html", context)


# Filings: the enterprise edits and submits ----------------------------------------------------


@login_required
def filing_create(request: HttpRequest) -> HttpResponse:
    enterprise = _own_enterprise(request)
    form = FilingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in FilingForm.Meta.fields}
        try:
            filing = services.filing_create(enterprise=enterprise, actor=request.user, data=data)
        except ServiceError as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The draft is saved. Now add the scope and materials."))
            return redirect("filing_detail", pk=filing.pk)
    return render(request, "filings/filing_form.html", {"form": form, "enterprise": enterprise})


@login_required
def filing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    filing = access_filing_as_owner(user=request.user, filing_id=pk)
    if not filing.is_editable:
        raise Http404
    if request.method == "POST":
        form = FilingForm(request.POST, instance=None)
        if form.is_valid():
            data = {field: form.cleaned_data[field] for field in FilingForm.Meta.fields}
            try:
                services.filing_update(
                    filing=filing,
                    actor=request.user,
                    data=data,
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleEdit as error:
                report_refusal(request, error)
                current = access_filing_as_owner(user=request.user, filing_id=pk)
                stale = [
                    (form[field].label, _display(current, field))
                    for field in FilingForm.Meta.fields
                    if getattr(current, field) != data[field]
                ]
                form.data = form.data.copy()
                form.data["version"] = current.version
                return render(
                    request,
                    "filings/filing_form.html",
                    {
                        "form": form,
                        "filing": current,
                        "enterprise": current.enterprise,
                        "stale": stale,
                    },
                )
            except ServiceError as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("filing_detail", pk=filing.pk)
    else:
        form = FilingForm(instance=filing, initial={"version": filing.version})
    return render(
        request,
        "filings/filing_form.html",
        {"form": form, "filing": filing, "enterprise": filing.enterprise},
    )


@login_required
def scope_line_add(request: HttpRequest, pk: int) -> HttpResponse:
    filing = access_filing_as_owner(user=request.user, filing_id=pk)
    if not filing.is_editable:
        raise Http404
    return _scope_line_form(request, filing, line=None)


@login_required
def scope_line_edit(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    filing = access_filing_as_owner(user=request.user, filing_id=pk)
    if not filing.is_editable:
        raise Http404
    line = filing.scope_lines.filter(pk=line_id).first()
    if line is None:
        raise Http404
    return _scope_line_form(request, filing, line=line)


def _scope_line_form(request: HttpRequest, filing, *, line) -> HttpResponse:
    if request.method == "POST":
        form = ScopeLineForm(request.POST, instance=line)
        if form.is_valid():
            try:
                services.filing_line_save(
                    filing=filing,
                    actor=request.user,
                    line=form.save(commit=False),
                    # Adding a line cannot overwrite anyone's work; editing one can.
                    expected_version=form.cleaned_data["version"] if line else None,
                )
            except ServiceError as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("The scope line is saved."))
                return redirect("filing_detail", pk=filing.pk)
    else:
        form = ScopeLineForm(instance=line, initial={"version": filing.version})
    return render(
        request, "filings/scope_line_form.html", {"form": form, "filing": filing, "line": line}
    )


@login_required
@require_POST
def scope_line_delete(request: HttpRequest, pk: int, line_id: int) -> HttpResponse:
    filing = access_filing_as_owner(user=request.user, filing_id=pk)
    line = filing.scope_lines.filter(pk=line_id).first()
    if line is None or not filing.is_editable:
        raise Http404
    try:
        services.filing_line_delete(filing=filing, actor=request.user, line=line)
        messages.success(request, _("The scope line is removed."))
    except ServiceError as error:
        report_refusal(request, error)
    return redirect("filing_detail", pk=filing.pk)


@login_required
def material_upload(request: HttpRequest, pk: int) -> HttpResponse:
    filing = access_filing_as_owner(user=request.user, filing_id=pk)
    if not filing.is_editable:
        raise Http404
    form = MaterialForm(request.POST or None, request.FILES or None)
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
@require_POST
def material_delete(request: HttpRequest, pk: int, material_id: int) -> HttpResponse:
    filing = access_filing_as_owner(user=request.user, filing_id=pk)
    material = filing.materials.filter(pk=material_id).first()
    if material is None or not filing.is_editable:
        raise Http404
    try:
        services.filing_material_delete(filing=filing, actor=request.user, material=material)
        messages.success(request, _("The material is removed."))
    except ServiceError as error:
        report_refusal(request, error)
    return redirect("filing_detail", pk=filing.pk)


@login_required
def material_download(request: HttpRequest, pk: int, material_id: int) -> FileResponse:
    filing = access_filing(user=request.user, filing_id=pk)
    material = filing.materials.filter(pk=material_id).first()
    if material is None:
        raise Http404
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.original_name,
        content_type=material.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def filing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    filing = access_filing_as_owner(user=request.user, filing_id=pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        filing = services.filing_submit(filing=filing, actor=request.user, expected_version=version)
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(
            request,
            _("The filing is submitted to %(where)s.") % {"where": filing.get_status_display()},
        )
    return redirect("filing_detail", pk=pk)


# Filings: the bureaus review ------------------------------------------------------------------


@login_required
@require_POST
def filing_district_review(request: HttpRequest, pk: int) -> HttpResponse:
    """R-F5: the district adds its opinion and forwards to the city, or returns the filing."""
    filing = access_filing_as_role(user=request.user, filing_id=pk, role="district")
    form = OpinionForm(request.POST)
    action = request.POST.get("action")
    if not form.is_valid():
        messages.error(request, _("The pre-review opinion is required."))
        return redirect("filing_detail", pk=pk)
    opinion = form.cleaned_data["opinion"]
    try:
        if action == "return":
            services.filing_return(filing=filing, actor=request.user, reason=opinion)
            messages.success(request, _("The filing is returned to the enterprise."))
        else:
            services.filing_district_forward(filing=filing, actor=request.user, opinion=opinion)
            messages.success(request, _("The filing is forwarded to the city."))
    except ServiceError as error:
        report_refusal(request, error)
    return redirect("filing_detail", pk=pk)


@login_required
@require_POST
def filing_assign_experts(request: HttpRequest, pk: int) -> HttpResponse:
    filing = access_filing_as_role(user=request.user, filing_id=pk, role="city")
    form = AssignExpertsForm(request.POST, city=membership_of(request.user).bureau)
    if not form.is_valid():
        for error in form.errors.get("experts", []):
            messages.error(request, error)
        return redirect("filing_detail", pk=pk)
    try:
        services.filing_assign_experts(
            filing=filing, actor=request.user, experts=list(form.cleaned_data["experts"])
        )
        messages.success(request, _("The experts are assigned."))
    except ServiceError as error:
        report_refusal(request, error)
    return redirect("filing_detail", pk=pk)


@login_required
def filing_expert_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = access_assignment(user=request.user, filing_id=pk)
    filing = assignment.filing
    initial = {
        "visited_on": assignment.visited_on,
        "score": assignment.score,
        "recommendation": assignment.recommendation,
        "opinion": assignment.opinion,
    }
    form = ExpertOpinionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.filing_expert_opinion(
                assignment=assignment, actor=request.user, **form.cleaned_data
            )
        except ServiceError as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("Your opinion is recorded."))
            return redirect("filing_detail", pk=pk)
    return render(
        request,
        "filings/expert_opinion_form.html",
        {"form": form, "filing": filing, "assignment": assignment},
    )


@login_required
@require_POST
def filing_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """R-F7: approved, returned for correction, or rejected."""
    filing = access_filing_as_role(user=request.user, filing_id=pk, role="city")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("filing_detail", pk=pk)
    decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
    try:
        if decision == "approve":
            filing = services.filing_approve(filing=filing, actor=request.user, note=note)
            messages.success(
                request,
                _("The filing is approved as No. %(number)s.") % {"number": filing.number},
            )
        elif decision == "return":
            services.filing_return(filing=filing, actor=request.user, reason=note)
            messages.success(request, _("The filing is returned for correction."))
        else:
            services.filing_reject(filing=filing, actor=request.user, reason=note)
            messages.success(request, _("The filing is rejected."))
    except ServiceError as error:
        report_refusal(request, error)
    return redirect("filing_detail", pk=pk)
