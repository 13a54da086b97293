"""Implementation plan pages: access gate → form → service → redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Min
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.edits import posted_version
from assessments.models import (
    EvaluationScheme,
    ImplementationPlan,
    PlanStatus,
    SchemeStatus,
    SessionInvigilator,
)
from assessments.plans import services
from assessments.plans.forms import (
    InvigilatorForm,
    PlanCreateForm,
    PlanDecisionForm,
    PlanForm,
    PlanStaffForm,
    SessionForm,
)
from assessments.plans.permissions import access_editable_plan, access_plan, access_session
from assessments.plans.selectors import first_session_date, plan_list_for_user
from assessments.rosters.conditions import roster_conditions_context
from assessments.schemes.conditions import scheme_conditions_context
from portal.core import extensions
from portal.core.access import READING_ROLES, require_role
from portal.core.audit import audit_events_for
from portal.core.errors import ServiceError
from portal.core.feedback import keep_input_after_stale_edit, report_refusal
from portal.core.listing import list_filter
from portal.core.models import Role
from portal.core.pagination import BoundedPaginator
from portal.core.record_views import confirmed_action, form_page, post_action, post_decision

PAGE_SIZE = 50


def _editable_plan(request: HttpRequest, pk: int):
    return access_editable_plan(user=request.user, plan_id=pk, roles={Role.ENTERPRISE})


def _session_label(session) -> str:
    times = f"{session.starts_at:%H:%M}–{session.ends_at:%H:%M}"
    return f"{session.date:%Y-%m-%d} {times} {session.site} {session.room}".strip()


def _session_of(request: HttpRequest, plan, session_id: int):
    session = access_session(user=request.user, session_id=session_id, roles={Role.ENTERPRISE})
    if session.plan_id != plan.pk:
        raise Http404
    return session


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, READING_ROLES)
    plans = plan_list_for_user(user=request.user)
    plans, status, _query = list_filter(request, plans, statuses=PlanStatus.values)
    page = BoundedPaginator(plans.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = _with_roster_facts(list(page.object_list))
    return render(
        request,
        "assessments/plan_list.html",
        {"page": page, "status": status, "statuses": PlanStatus.choices},
    )


def _with_roster_facts(plans: list[ImplementationPlan]) -> list[ImplementationPlan]:
    """The examinees and first session of the page's plans only: annotating the list counted
    every roster entry of the city before the page's 50 plans were taken."""
    facts = (
        ImplementationPlan.objects.filter(pk__in=[plan.pk for plan in plans])
        .annotate(roster_size=Count("roster", distinct=True), first_session=Min("sessions__date"))
        .values_list("pk", "roster_size", "first_session")
    )
    by_plan = {pk: (size, first) for pk, size, first in facts}
    for plan in plans:
        plan.roster_size, plan.first_session = by_plan[plan.pk]
    return plans


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    membership = require_role(request.user, {Role.ENTERPRISE})
    enterprise = membership.enterprise
    schemes = EvaluationScheme.objects.filter(
        enterprise=enterprise, status=SchemeStatus.APPROVED
    ).select_related("scope_line__occupation", "scope_line__work_type")
    form = PlanCreateForm(request.POST or None, schemes=schemes)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in services.PLAN_FIELDS}
        try:
            plan = services.plan_create(
                enterprise=enterprise,
                actor=request.user,
                scheme=form.cleaned_data["scheme"],
                data=data,
            )
        except ServiceError as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("The plan is saved. Add its sessions, staff and roster."))
            return redirect("plan_detail", pk=plan.pk)
    return render(
        request, "assessments/plan_form.html", {"form": form, "no_scheme": not schemes.exists()}
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(user=request.user, plan_id=pk)
    role = require_role(request.user).role
    today = timezone.localdate()
    context = {
        "plan": plan,
        "scheme": plan.scheme,
        "line": plan.scheme.scope_line,
        "sessions": plan.sessions.prefetch_related("invigilators"),
        "examiners": plan.examiners.all(),
        "supervisors": plan.supervisors.all(),
        "roster_count": plan.roster.count(),
        "roster_preview": plan.roster.all()[:20],
        "events": audit_events_for(plan),
        "is_owner": role == Role.ENTERPRISE,
        "first_session": first_session_date(plan),
        "revocation_warnings": extensions.warnings_for(extensions.PLAN_WARNINGS, plan),
        **roster_conditions_context(plan),
        **scheme_conditions_context(plan.scheme),
    }
    if role == Role.ENTERPRISE and plan.is_editable:
        context["problems"] = services.plan_problems(plan, today)
    if role == Role.CITY and plan.status == PlanStatus.SUBMITTED:
        context["decision_form"] = PlanDecisionForm()
    return render(request, "assessments/plan_detail.html", context)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    if request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            data = {field: form.cleaned_data[field] for field in services.PLAN_FIELDS}
            try:
                services.plan_update(
                    plan=plan,
                    actor=request.user,
                    data=data,
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except ServiceError as error:
                report_refusal(request, error)
                keep_input_after_stale_edit(form, access_plan(user=request.user, plan_id=pk))
            else:
                messages.success(request, _("Saved."))
                return redirect("plan_detail", pk=pk)
    else:
        form = PlanForm(initial=model_to_dict(plan, ["version", *services.PLAN_FIELDS]))
    return render(request, "assessments/plan_form.html", {"form": form, "plan": plan})


@login_required
def session_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_form(request, _editable_plan(request, pk), session=None)


@login_required
def session_edit(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    return _session_form(request, plan, session=_session_of(request, plan, session_id))


def _session_form(request: HttpRequest, plan, *, session) -> HttpResponse:
    form = SessionForm(request.POST or None, instance=session)
    return form_page(
        request,
        form,
        save=lambda data: services.session_save(
            plan=plan, actor=request.user, session=form.save(commit=False)
        ),
        saved=_("The session is saved."),
        done=reverse("plan_detail", args=[plan.pk]),
        template="assessments/session_form.html",
        context={"plan": plan, "session": session},
        refusal_on_form=False,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_delete(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    session = _session_of(request, plan, session_id)
    return confirmed_action(
        request,
        lambda: services.session_delete(plan=plan, actor=request.user, session=session),
        done=_("The session is removed."),
        detail="plan_detail",
        pk=pk,
        question=_("Remove this session from the plan?"),
        what=_session_label(session),
        consequence=_("Its invigilators are removed with it. This cannot be undone."),
    )


@login_required
def plan_staff(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    initial = {
        "version": plan.version,
        "examiners": list(plan.examiners.all()),
        "supervisors": list(plan.supervisors.all()),
    }
    return form_page(
        request,
        PlanStaffForm(request.POST or None, initial=initial, enterprise=plan.enterprise),
        save=lambda data: services.plan_set_staff(
            plan=plan,
            actor=request.user,
            examiners=list(data["examiners"]),
            supervisors=list(data["supervisors"]),
            expected_version=data["version"],
        ),
        saved=_("The examiners and supervisors are saved."),
        done=reverse("plan_detail", args=[pk]),
        template="assessments/plan_staff_form.html",
        context={"plan": plan},
        refusal_on_form=False,
    )


@login_required
@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    return post_action(
        request,
        lambda: services.plan_submit(
            plan=plan, actor=request.user, expected_version=posted_version(request.POST)
        ),
        done=_("The plan is submitted to the city."),
        detail="plan_detail",
        pk=pk,
    )


@login_required
@require_POST
def plan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(user=request.user, plan_id=pk, roles={Role.CITY})

    def act(decision: str, note: str) -> str:
        if decision == "acknowledge":
            services.plan_acknowledge(plan=plan, actor=request.user, note=note)
            return _("The plan is acknowledged.")
        services.plan_return(plan=plan, actor=request.user, reason=note)
        return _("The plan is returned for correction.")

    return post_decision(
        request, PlanDecisionForm(request.POST), act=act, detail="plan_detail", pk=pk
    )


@login_required
def invigilator_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Seed 004 §三(一): the enterprise names who invigilates a session of its plan."""
    plan = _editable_plan(request, pk)
    form = InvigilatorForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.invigilator_add(plan=plan, actor=request.user, invigilator=form.instance)
        except ServiceError as error:
            report_refusal(request, error, form=form)
        else:
            messages.success(
                request, _("%(name)s is named as invigilator.") % {"name": form.instance.name}
            )
            return redirect("plan_detail", pk=plan.pk)
    return render(request, "assessments/invigilator_form.html", {"form": form, "plan": plan})


@login_required
@require_http_methods(["GET", "POST"])
def invigilator_delete(request: HttpRequest, pk: int, invigilator_id: int) -> HttpResponse:
    plan = _editable_plan(request, pk)
    invigilator = SessionInvigilator.objects.filter(pk=invigilator_id, session__plan=plan).first()
    if invigilator is None:
        raise Http404
    return confirmed_action(
        request,
        lambda: services.invigilator_remove(plan=plan, actor=request.user, invigilator=invigilator),
        done=_("The invigilator is removed."),
        detail="plan_detail",
        pk=plan.pk,
        question=_("Remove this invigilator?"),
        what=f"{invigilator.name} · {_session_label(invigilator.session)}",
    )
