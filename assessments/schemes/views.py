"""Scheme pages (R-S1 … R-S5): access gate → form → service → redirect or render."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.edits import posted_version
from assessments.models import (
    EvaluationMethod,
    EvaluationScheme,
    SchemeRecommendation,
    SchemeReview,
    SchemeStatus,
)
from assessments.schemes import services
from assessments.schemes.conditions import scheme_conditions_context
from assessments.schemes.forms import (
    AssignExpertsForm,
    ComponentForm,
    DecisionForm,
    ExpertOpinionForm,
    MappingForm,
    SchemeForm,
)
from assessments.schemes.permissions import access_scheme
from assessments.schemes.rules import ABILITY_KINDS, level_names, submission_problems
from assessments.schemes.selectors import lines_without_scheme, scheme_list_for_user
from assessments.schemes.services import SCHEME_FIELDS
from filings.models import LEVEL_NAMES
from portal.core.access import require_role
from portal.core.audit import audit_events_for, labelled_events
from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal
from portal.core.listing import any_contains, list_filter
from portal.core.models import Role
from portal.core.record_views import (
    confirmed_action,
    expert_opinion_form,
    part_form,
    post_action,
    post_expert_assignment,
    versioned_edit_page,
)

PAGE_SIZE = 50


def _editable_scheme(request: HttpRequest, pk: int) -> EvaluationScheme:
    scheme = access_scheme(user=request.user, scheme_id=pk, roles={Role.ENTERPRISE})
    if not scheme.is_editable:
        raise Http404
    return scheme


# Lists and the detail page ------------------------------------------------------------------


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, set(Role) - {Role.SUPERVISOR})
    schemes = scheme_list_for_user(user=request.user)
    schemes, status, query = list_filter(
        request,
        schemes,
        statuses=SchemeStatus.values,
        search=any_contains(
            "enterprise__name", "scope_line__occupation__name", "scope_line__occupation__code"
        ),
    )
    page = Paginator(schemes.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "assessments/scheme_list.html",
        {"page": page, "status": status, "q": query, "statuses": SchemeStatus.choices},
    )


def _events_for(scheme: EvaluationScheme, user, role: Role):
    events = audit_events_for(scheme)
    if role == Role.EXPERT:
        # Experts judge independently: no other expert's opinion, here or in the table.
        events = events.exclude(Q(action="scheme_expert_opinion") & ~Q(actor=user))
    return labelled_events(events, dict(SchemeStatus.choices))


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = access_scheme(user=request.user, scheme_id=pk)
    membership = require_role(request.user)
    role = membership.role
    reviews = scheme.reviews.select_related("expert__membership")
    if role == Role.EXPERT:
        reviews = reviews.filter(expert=request.user)
    visible = scheme_list_for_user(user=request.user)
    components = list(scheme.components.all())
    mappings = list(scheme.level_mappings.all())
    for mapping in mappings:
        mapping.national_label = LEVEL_NAMES[mapping.national_level]
    methods = dict(EvaluationMethod.choices)
    context = {
        "scheme": scheme,
        "line": scheme.scope_line,
        "components": components,
        "total_weight": sum((c.weight for c in components), Decimal(0)),
        "ability_kinds": ABILITY_KINDS,
        "mappings": mappings,
        "level_labels": [LEVEL_NAMES[level] for level in sorted(scheme.levels, reverse=True)],
        "method_labels": [methods.get(value, value) for value in scheme.methods],
        "reviews": reviews,
        "events": _events_for(scheme, request.user, role),
        "is_owner": role == Role.ENTERPRISE,
        "previous": visible.filter(pk=scheme.replaces_id).first() if scheme.replaces_id else None,
        "successor": visible.filter(replaces=scheme).first(),
    }
    context |= scheme_conditions_context(scheme)
    if role == Role.ENTERPRISE and scheme.is_editable:
        context["problems"] = submission_problems(scheme)
    if role == Role.ENTERPRISE and scheme.status == SchemeStatus.APPROVED:
        context["can_revise"] = context["successor"] is None
    if role == Role.EXPERT:
        context["my_review"] = reviews.first()
    if role == Role.CITY and scheme.status in (SchemeStatus.SUBMITTED, SchemeStatus.EXPERT_REVIEW):
        context["assign_form"] = AssignExpertsForm(city=membership.bureau)
        context["decision_form"] = DecisionForm()
        context["can_approve"] = _can_approve(scheme, list(reviews))
    context["show_opinions"] = "assign_form" in context or reviews.exists()
    return render(request, "assessments/scheme_detail.html", context)


def _can_approve(scheme: EvaluationScheme, reviews: list[SchemeReview]) -> bool:
    return (
        scheme.status == SchemeStatus.EXPERT_REVIEW
        and bool(reviews)
        and all(review.submitted_at for review in reviews)
    )


# The enterprise drafts and submits ----------------------------------------------------------


@login_required
def scheme_create(request: HttpRequest) -> HttpResponse:
    enterprise = require_role(request.user, {Role.ENTERPRISE}).enterprise
    lines = lines_without_scheme(enterprise=enterprise)
    form = SchemeForm(request.POST or None, scope_lines=lines)
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.scheme_create(
                enterprise=enterprise,
                actor=request.user,
                scope_line=form.cleaned_data["scope_line"],
                data=form.scheme_data(),
            )
        except ServiceError as error:
            report_refusal(request, error, form=form)
        else:
            messages.success(
                # R-S2
                request,
                _("The draft scheme is saved. Now add its components."),
            )
            return redirect("scheme_detail", pk=scheme.pk)
    return render(
        request,
        "assessments/scheme_form.html",
        {"form": form, "enterprise": enterprise, "no_lines": not lines.exists()},
    )


def _display(scheme: EvaluationScheme, field: str) -> str:
    value = getattr(scheme, field)
    if field == "levels":
        return level_names(value) or "—"
    if field == "methods":
        labels = dict(EvaluationMethod.choices)
        return "、".join(str(labels.get(v, v)) for v in value) or "—"
    if field == "declared_methods":
        return "、".join(value) or "—"
    if field == "online_recognition":
        return str(_("yes") if value else _("no"))
    getter = getattr(scheme, f"get_{field}_display", None)
    return str(getter() if getter else value) or "—"


@login_required
def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _editable_scheme(request, pk)
    return versioned_edit_page(
        request,
        scheme,
        name="scheme",
        form_class=SchemeForm,
        data=SchemeForm.scheme_data,
        save=lambda data, version: services.scheme_update(
            scheme=scheme, actor=request.user, data=data, expected_version=version
        ),
        current=lambda: _editable_scheme(request, pk),
        fields=SCHEME_FIELDS,
        display=_display,
        template="assessments/scheme_form.html",
        detail="scheme_detail",
    )


@login_required
def scheme_component_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _component_form(request, _editable_scheme(request, pk), component=None)


@login_required
def scheme_component_edit(request: HttpRequest, pk: int, component_id: int) -> HttpResponse:
    scheme = _editable_scheme(request, pk)
    component = get_object_or_404(scheme.components, pk=component_id)
    return _component_form(request, scheme, component=component)


def _component_form(request: HttpRequest, scheme: EvaluationScheme, *, component) -> HttpResponse:
    return _part_form(
        request,
        scheme,
        part=component,
        name="component",
        form_class=ComponentForm,
        save=services.scheme_component_save,
        saved=_("The component is saved."),
    )


def _part_form(
    request: HttpRequest,
    scheme: EvaluationScheme,
    *,
    part,
    name: str,
    form_class,
    save,
    saved: str,
    form_kwargs: dict | None = None,
) -> HttpResponse:
    """The form of one part of a scheme (a component, a level mapping), new or edited."""
    return part_form(
        request,
        owner=scheme,
        part=part,
        name=name,
        form_class=form_class,
        save=lambda instance, version: save(
            scheme=scheme, actor=request.user, **{name: instance}, expected_version=version
        ),
        saved=saved,
        template=f"assessments/scheme_{name}_form.html",
        detail="scheme_detail",
        form_kwargs=form_kwargs,
        context={"scheme": scheme},
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_component_delete(request: HttpRequest, pk: int, component_id: int) -> HttpResponse:
    scheme = _editable_scheme(request, pk)
    return _part_delete(
        request,
        scheme,
        part=get_object_or_404(scheme.components, pk=component_id),
        name="component",
        delete=services.scheme_component_delete,
        removed=_("The component is removed."),
        question=_("Remove this component from the scheme?"),
    )


def _part_delete(
    request: HttpRequest,
    scheme: EvaluationScheme,
    *,
    part,
    name: str,
    delete,
    removed: str,
    question: str,
    what: str = "",
) -> HttpResponse:
    return confirmed_action(
        request,
        lambda: delete(scheme=scheme, actor=request.user, **{name: part}),
        done=removed,
        detail="scheme_detail",
        pk=scheme.pk,
        question=question,
        what=what or str(part),
    )


@login_required
def scheme_mapping_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _mapping_form(request, _editable_scheme(request, pk), mapping=None)


@login_required
def scheme_mapping_edit(request: HttpRequest, pk: int, mapping_id: int) -> HttpResponse:
    scheme = _editable_scheme(request, pk)
    mapping = get_object_or_404(scheme.level_mappings, pk=mapping_id)
    return _mapping_form(request, scheme, mapping=mapping)


def _mapping_form(request: HttpRequest, scheme: EvaluationScheme, *, mapping) -> HttpResponse:
    return _part_form(
        request,
        scheme,
        part=mapping,
        name="mapping",
        form_class=MappingForm,
        save=services.scheme_mapping_save,
        saved=_("The level mapping is saved."),
        form_kwargs={"scheme_levels": scheme.levels},
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_mapping_delete(request: HttpRequest, pk: int, mapping_id: int) -> HttpResponse:
    scheme = _editable_scheme(request, pk)
    return _part_delete(
        request,
        scheme,
        part=get_object_or_404(scheme.level_mappings, pk=mapping_id),
        name="mapping",
        delete=services.scheme_mapping_delete,
        removed=_("The level mapping is removed."),
        question=_("Remove this level mapping?"),
    )


@login_required
@require_POST
def scheme_submit(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = access_scheme(user=request.user, scheme_id=pk, roles={Role.ENTERPRISE})
    return post_action(
        request,
        lambda: services.scheme_submit(
            scheme=scheme, actor=request.user, expected_version=posted_version(request.POST)
        ),
        # R-S5
        done=_("The scheme is submitted to the city."),
        detail="scheme_detail",
        pk=pk,
    )


@login_required
@require_POST
def scheme_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """R-S5: start re-filing a changed scheme; the approved one stays in force meanwhile."""
    scheme = access_scheme(user=request.user, scheme_id=pk, roles={Role.ENTERPRISE})
    try:
        revision = services.scheme_start_revision(scheme=scheme, actor=request.user)
    except ServiceError as error:
        report_refusal(request, error)
        return redirect("scheme_detail", pk=pk)
    messages.success(
        request,
        _(
            # R-S5
            "Revision %(revision)s is a draft copied from the approved scheme, which stays in "
            "force until the city approves the revision."
        )
        % {"revision": revision.revision},
    )
    return redirect("scheme_detail", pk=revision.pk)


# The city and its experts -------------------------------------------------------------------


@login_required
@require_POST
def scheme_assign_experts(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = access_scheme(user=request.user, scheme_id=pk, roles={Role.CITY})
    return post_expert_assignment(
        request,
        assign=lambda experts: services.scheme_assign_experts(
            scheme=scheme, actor=request.user, experts=experts
        ),
        detail="scheme_detail",
        pk=pk,
        form_class=AssignExpertsForm,
        label_errors=True,
    )


@login_required
def scheme_expert_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = access_scheme(user=request.user, scheme_id=pk, roles={Role.EXPERT})
    review = scheme.reviews.filter(expert=request.user).first()
    if review is None:
        raise Http404
    if scheme.status != SchemeStatus.EXPERT_REVIEW:
        messages.error(
            request,
            _("The scheme is “%(status)s”; opinions are taken only during the expert evaluation.")
            % {"status": scheme.get_status_display()},
        )
        return redirect("scheme_detail", pk=pk)
    return expert_opinion_form(
        request,
        opinion=review,
        form_class=ExpertOpinionForm,
        save=lambda **opinion: services.scheme_expert_opinion(
            review=review, actor=request.user, **opinion
        ),
        template="assessments/scheme_opinion_form.html",
        detail="scheme_detail",
        pk=pk,
        context={"scheme": scheme, "review": review},
    )


@login_required
def scheme_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """R-S5: the city approves after the experts, or returns the scheme for correction."""
    scheme = access_scheme(user=request.user, scheme_id=pk, roles={Role.CITY})
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == SchemeRecommendation.APPROVE:
                services.scheme_approve(scheme=scheme, actor=request.user, note=note)
                # R-S5
                messages.success(request, _("The scheme is approved."))
            else:
                services.scheme_return(scheme=scheme, actor=request.user, reason=note)
                messages.success(request, _("The scheme is returned for correction."))
        except ServiceError as error:
            report_refusal(request, error, form=form)
        else:
            return redirect("scheme_detail", pk=pk)
    reviews = list(scheme.reviews.select_related("expert__membership"))
    return render(
        request,
        "assessments/scheme_decision_form.html",
        {
            "form": form,
            "scheme": scheme,
            "reviews": reviews,
            "can_approve": _can_approve(scheme, reviews),
        },
    )
