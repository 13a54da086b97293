"""The register of examiners and internal quality supervisors (R-C3): access gate → form →
service → redirect or render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.examiners import services
from assessments.examiners.forms import ExaminerForm, ExaminerScopeForm, RevokeForm
from assessments.examiners.permissions import access_examiner
from assessments.examiners.selectors import examiner_list_for_user
from assessments.examiners.services import EXAMINER_FIELDS
from assessments.models import Examiner, ExaminerRole, ExaminerStatus
from filings.models import LEVEL_NAMES
from portal.core.access import READING_ROLES, require_role
from portal.core.audit import audit_events_for, labelled_events
from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal
from portal.core.listing import any_contains, list_filter
from portal.core.masking import mask_id
from portal.core.models import Role
from portal.core.privacy import may_see_full_ids, reveal_page
from portal.core.record_views import (
    confirmed_action,
    form_page,
    part_form,
    versioned_edit_page,
)

PAGE_SIZE = 50


def _editable_examiner(request: HttpRequest, pk: int) -> Examiner:
    examiner = access_examiner(user=request.user, examiner_id=pk, roles={Role.ENTERPRISE})
    if examiner.status != ExaminerStatus.ACTIVE:
        raise Http404
    return examiner


@login_required
def examiner_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, READING_ROLES)
    examiners = examiner_list_for_user(user=request.user).prefetch_related("scopes__occupation")
    examiners, status, query = list_filter(
        request,
        examiners,
        statuses=ExaminerStatus.values,
        search=any_contains("name", "enterprise__name", "certificate_number"),
    )
    role = request.GET.get("role", "")
    if role in ExaminerRole.values:
        examiners = examiners.filter(role=role)
    page = Paginator(examiners.order_by("status", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for examiner in page.object_list:
        examiner.masked_id = mask_id(examiner.id_number)
        examiner.status_label = services.STATUS_WORDS[examiner.status]
    return render(
        request,
        "assessments/examiner_list.html",
        {
            "page": page,
            "status": status,
            "role_filter": role,
            "q": query,
            "statuses": list(services.STATUS_WORDS.items()),
            "roles": ExaminerRole.choices,
        },
    )


@login_required
def examiner_detail(request: HttpRequest, pk: int) -> HttpResponse:
    examiner = access_examiner(user=request.user, examiner_id=pk)
    role = require_role(request.user).role
    active = examiner.status == ExaminerStatus.ACTIVE
    scopes = list(examiner.scopes.select_related("occupation").order_by("occupation__code"))
    for scope in scopes:
        scope.level_label = LEVEL_NAMES[scope.highest_level]
    examiner.status_label = services.STATUS_WORDS[examiner.status]
    return render(
        request,
        "assessments/examiner_detail.html",
        {
            "examiner": examiner,
            "scopes": scopes,
            "events": labelled_events(audit_events_for(examiner), services.STATUS_WORDS),
            "can_edit": role == Role.ENTERPRISE and active,
            "can_revoke": role == Role.CITY and active,
        },
    )


@login_required
def examiner_create(request: HttpRequest) -> HttpResponse:
    enterprise = require_role(request.user, {Role.ENTERPRISE}).enterprise
    form = ExaminerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            examiner = services.examiner_create(
                enterprise=enterprise, actor=request.user, data=form.examiner_data()
            )
        except ServiceError as error:
            report_refusal(request, error, form=form)
        else:
            messages.success(
                request,
                _("%(name)s is in the register. Now add the occupations they may assess.")
                % {"name": examiner.name},
            )
            return redirect("examiner_detail", pk=examiner.pk)
    return render(
        request, "assessments/examiner_form.html", {"form": form, "enterprise": enterprise}
    )


def _display(examiner: Examiner, field: str) -> str:
    if field == "id_number":
        return mask_id(examiner.id_number) or "—"
    getter = getattr(examiner, f"get_{field}_display", None)
    return str(getter() if getter else getattr(examiner, field)) or "—"


@login_required
def examiner_edit(request: HttpRequest, pk: int) -> HttpResponse:
    examiner = _editable_examiner(request, pk)
    return versioned_edit_page(
        request,
        examiner,
        name="examiner",
        form_class=ExaminerForm,
        form_kwargs={"keep_id_number": examiner.id_number},
        data=ExaminerForm.examiner_data,
        save=lambda data, version: services.examiner_update(
            examiner=examiner, actor=request.user, data=data, expected_version=version
        ),
        current=lambda: _editable_examiner(request, pk),
        fields=EXAMINER_FIELDS,
        display=_display,
        template="assessments/examiner_form.html",
        detail="examiner_detail",
    )


@login_required
def examiner_scope_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _scope_form(request, _editable_examiner(request, pk), scope=None)


@login_required
def examiner_scope_edit(request: HttpRequest, pk: int, scope_id: int) -> HttpResponse:
    examiner = _editable_examiner(request, pk)
    scope = get_object_or_404(examiner.scopes, pk=scope_id)
    return _scope_form(request, examiner, scope=scope)


def _scope_form(request: HttpRequest, examiner: Examiner, *, scope) -> HttpResponse:
    occupations = services.occupations_for_register(enterprise=examiner.enterprise)
    return part_form(
        request,
        owner=examiner,
        part=scope,
        name="scope",
        form_class=ExaminerScopeForm,
        save=lambda instance, version: services.examiner_scope_save(
            examiner=examiner, actor=request.user, scope=instance, expected_version=version
        ),
        saved=_("The occupation is saved."),
        template="assessments/examiner_scope_form.html",
        detail="examiner_detail",
        form_kwargs={"occupations": occupations},
        context={"examiner": examiner, "no_occupations": not occupations.exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def examiner_scope_delete(request: HttpRequest, pk: int, scope_id: int) -> HttpResponse:
    examiner = _editable_examiner(request, pk)
    scope = get_object_or_404(examiner.scopes.select_related("occupation"), pk=scope_id)
    return confirmed_action(
        request,
        lambda: services.examiner_scope_delete(examiner=examiner, actor=request.user, scope=scope),
        done=_("The occupation is removed."),
        detail="examiner_detail",
        pk=pk,
        question=_("Remove this occupation from the examiner?"),
        what=f"{examiner.name} · {scope.occupation}",
    )


@login_required
def examiner_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """R-C3: the city revokes an examiner's or supervisor's qualification."""
    examiner = access_examiner(user=request.user, examiner_id=pk, roles={Role.CITY})
    if examiner.status != ExaminerStatus.ACTIVE:
        messages.error(
            request,
            # R-C3
            _("The qualification of %(name)s is already revoked.") % {"name": examiner.name},
        )
        return redirect("examiner_detail", pk=pk)
    return form_page(
        request,
        RevokeForm(request.POST or None, initial={"revoked_on": timezone.localdate()}),
        save=lambda data: services.examiner_revoke(
            examiner=examiner,
            actor=request.user,
            reason=data["reason"],
            revoked_on=data["revoked_on"],
        ),
        saved=_(
            # R-C3
            "The qualification of %(name)s is revoked; they can no longer be named in a plan."
        )
        % {"name": examiner.name},
        done=reverse("examiner_detail", args=[pk]),
        template="assessments/examiner_revoke_form.html",
        context={"examiner": examiner},
    )


@login_required
def examiner_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    examiner = access_examiner(user=request.user, examiner_id=pk)
    if not may_see_full_ids(request.user):
        raise Http404
    return reveal_page(
        request,
        person=examiner,
        name=examiner.name,
        context=examiner.enterprise.name,
        back_url=reverse("examiner_detail", args=[examiner.pk]),
    )
