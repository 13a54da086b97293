"""Publicity and result filing pages (R-R1, R-R2): access gate → form → service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessments.edits import posted_version
from assessments.models import BatchStatus, ExamineeResult, Objection, ResultBatch
from assessments.plans.permissions import access_acknowledged_plan
from assessments.results import services
from assessments.results.clock import (
    filed_late,
    filing_clock,
    province_clock,
    publicity_state,
    with_clocks,
)
from assessments.results.forms import (
    ObjectionForm,
    ProvinceResultDecisionForm,
    ResolutionForm,
    ResultDecisionForm,
)
from assessments.results.selectors import result_batch_list_for_user
from portal.core.access import READING_ROLES, require_role
from portal.core.audit import audit_events_for
from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal
from portal.core.models import Role
from portal.core.record_views import form_page, post_decision

PAGE_SIZE = 50
OPEN = "open"
ALL = "all"


def _batch(plan) -> ResultBatch:
    batch = ResultBatch.objects.filter(plan=plan).first()
    if batch is None:
        raise Http404
    batch.plan = plan
    return batch


@login_required
@require_safe
def result_filing_list(request: HttpRequest) -> HttpResponse:
    """R-R1: the result filings with their clocks, the earliest due first."""
    membership = require_role(request.user, READING_ROLES)
    batches = result_batch_list_for_user(user=request.user)
    status = request.GET.get("status", OPEN)
    if status in BatchStatus.values:
        batches = batches.filter(status=status)
    elif status != ALL:
        status = OPEN
        batches = batches.exclude(status=BatchStatus.APPROVED)
    batches = batches.annotate(
        roster_size=Count("plan__roster", distinct=True),
        open_objections=Count(
            "objections", filter=Q(objections__resolved_on__isnull=True), distinct=True
        ),
    ).order_by(F("filing_due_on").asc(nulls_last=True), "pk")
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_clocks(page.object_list, timezone.localdate())
    return render(
        request,
        "assessments/result_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [(OPEN, _("Not yet approved")), (ALL, _("All")), *BatchStatus.choices],
            "is_enterprise": membership.is_enterprise,
        },
    )


@login_required
@require_safe
def result_batch(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_acknowledged_plan(user=request.user, plan_id=pk)
    role = require_role(request.user).role
    today = timezone.localdate()
    batch = ResultBatch.objects.filter(plan=plan).first()
    if batch is not None:
        batch.plan = plan
    entries = plan.roster.order_by("seq")
    counts = entries.aggregate(
        total=Count("pk"),
        passed=Count("pk", filter=Q(result=ExamineeResult.PASSED)),
        failed=Count("pk", filter=Q(result=ExamineeResult.FAILED)),
        pending=Count("pk", filter=Q(result=ExamineeResult.PENDING)),
    )
    context = {
        "plan": plan,
        "batch": batch,
        "is_owner": role == Role.ENTERPRISE,
        "today": today,
        "counts": counts,
        "page": Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page")),
        "objections": [],
        "events": [],
    }
    if batch is not None:
        context.update(
            objections=batch.objections.select_related("entry", "resolved_by__membership"),
            events=audit_events_for(batch),
            clock=filing_clock(batch, today),
            province_clock=province_clock(batch, today),
            publicity=publicity_state(batch, today),
            late=filed_late(batch),
        )
    status = batch.status if batch else BatchStatus.DRAFT
    if role == Role.ENTERPRISE:
        if status == BatchStatus.DRAFT:
            context["publish_problems"] = services.publish_problems(plan)
        elif status in (BatchStatus.PUBLICISED, BatchStatus.RETURNED):
            context["submit_problems"] = services.submission_problems(batch, today)
    if role == Role.CITY and status == BatchStatus.SUBMITTED:
        context["decision_form"] = ResultDecisionForm()
    if role == Role.PROVINCE and status == BatchStatus.PROVINCE_REVIEW:
        context["province_decision_form"] = ProvinceResultDecisionForm()
    return render(request, "assessments/result_batch.html", context)


@login_required
@require_POST
def result_publish(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_acknowledged_plan(user=request.user, plan_id=pk, roles={Role.ENTERPRISE})
    try:
        batch = services.result_publish(
            plan=plan, actor=request.user, expected_version=posted_version(request.POST)
        )
    except ServiceError as error:
        report_refusal(request, error)
    else:
        publicity = publicity_state(batch, batch.published_on)
        if publicity.error:
            messages.success(request, _("The results are publicised."))
            messages.warning(request, publicity.error)
        else:
            messages.success(
                request,
                _("The results are publicised until %(ends)s; result filing opens on %(opens)s.")
                % {
                    "ends": date_format(publicity.ends_on, "Y-m-d"),
                    "opens": date_format(publicity.filing_opens_on, "Y-m-d"),
                },
            )
    return redirect("result_batch", pk=pk)


@login_required
def objection_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_acknowledged_plan(user=request.user, plan_id=pk, roles={Role.ENTERPRISE})
    batch = _batch(plan)
    if batch.status != BatchStatus.PUBLICISED:
        raise Http404
    return form_page(
        request,
        ObjectionForm(request.POST or None, plan=plan),
        save=lambda data: services.objection_record(
            batch=batch,
            actor=request.user,
            raised_by=data["raised_by"],
            content=data["content"],
            entry=data["entry"],
        ),
        saved=_("The objection is recorded; resolve it before filing."),
        done=reverse("result_batch", args=[pk]),
        template="assessments/result_objection_form.html",
        context={"plan": plan, "batch": batch},
        refusal_on_form=False,
    )


@login_required
def objection_resolve(request: HttpRequest, pk: int, objection_id: int) -> HttpResponse:
    plan = access_acknowledged_plan(user=request.user, plan_id=pk, roles={Role.ENTERPRISE})
    batch = _batch(plan)
    objection = (
        Objection.objects.filter(pk=objection_id, batch=batch).select_related("entry").first()
    )
    if objection is None:
        raise Http404
    return form_page(
        request,
        ResolutionForm(request.POST or None),
        save=lambda data: services.objection_resolve(
            objection=objection, actor=request.user, resolution=data["resolution"]
        ),
        saved=_("The resolution is recorded."),
        done=reverse("result_batch", args=[pk]),
        template="assessments/result_resolve_form.html",
        context={"plan": plan, "batch": batch, "objection": objection},
        refusal_on_form=False,
    )


@login_required
@require_POST
def result_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_acknowledged_plan(user=request.user, plan_id=pk, roles={Role.ENTERPRISE})
    batch = _batch(plan)
    try:
        batch = services.result_submit(
            batch=batch, actor=request.user, expected_version=posted_version(request.POST)
        )
    except ServiceError as error:
        report_refusal(request, error)
    else:
        if filed_late(batch):
            messages.warning(
                request,
                _(
                    "The results are submitted to the city, late: the result filing was due on "
                    "%(date)s."
                )
                % {"date": date_format(batch.filing_due_on, "Y-m-d")},
            )
        else:
            messages.success(request, _("The results are submitted to the city for filing."))
    return redirect("result_batch", pk=pk)


@login_required
@require_POST
def result_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """R-R2: approved for filing, or returned for correction with the reason; by the city, then
    by the province where its policy reviews results after the city (seed 004 §三(三))."""
    plan = access_acknowledged_plan(user=request.user, plan_id=pk, roles={Role.CITY, Role.PROVINCE})
    batch = _batch(plan)
    if require_role(request.user).role == Role.PROVINCE:
        # Only a batch waiting for the province is the province's to decide.
        if batch is None or batch.status != BatchStatus.PROVINCE_REVIEW:
            raise Http404
        return _province_decide(request, batch, pk)

    def act(decision: str, note: str) -> str:
        if decision == "approve":
            batch_now = services.result_approve(batch=batch, actor=request.user, note=note)
            if batch_now.status == BatchStatus.PROVINCE_REVIEW:
                return _("The results are approved and sent to the provincial centre for review.")
            return _("The result filing is approved.")
        services.result_return(batch=batch, actor=request.user, reason=note)
        return _("The results are returned for correction.")

    return post_decision(
        request, ResultDecisionForm(request.POST), act=act, detail="result_batch", pk=pk
    )


def _province_decide(request: HttpRequest, batch: ResultBatch, pk: int) -> HttpResponse:
    def act(decision: str, note: str) -> str:
        if decision == "approve":
            services.result_province_approve(batch=batch, actor=request.user, note=note)
            return _("The results are approved: the enterprise may issue the certificates.")
        services.result_province_return(batch=batch, actor=request.user, reason=note)
        return _("The results are returned to the enterprise for correction.")

    return post_decision(
        request, ProvinceResultDecisionForm(request.POST), act=act, detail="result_batch", pk=pk
    )
