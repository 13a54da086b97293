"""Inspection pages (R-C2, R-M1): access gate → form → service → redirect or render.

The checklist is the supervisors' internal working record: the enterprise sees the conclusion,
the summary and the findings with their evidence, never the checklist notes. Bureaus and the
assigned supervisors see everything.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.models import Examiner, ExaminerStatus
from portal.core.access import BUREAU_ROLES, require_role
from portal.core.audit import audit_events_for, labelled_events
from portal.core.downloads import attachment_download
from portal.core.feedback import service_went_through
from portal.core.listing import list_filter
from portal.core.models import Role
from portal.core.workdays import CalendarMissing
from supervision.inspections import services
from supervision.inspections.forms import (
    AnswerForm,
    CloseFindingForm,
    CloseInspectionForm,
    FindingForm,
    RecordForm,
    ReturnFindingForm,
)
from supervision.inspections.permissions import access_finding, access_inspection
from supervision.inspections.selectors import (
    PENDING_FINDING,
    finding_list_for_user,
    inspection_list_for_user,
    with_finding_counts,
)
from supervision.models import (
    AttachmentSide,
    FindingAttachment,
    FindingSeverity,
    FindingStatus,
    InspectionStatus,
)

PAGE_SIZE = 50
LIST_ROLES = frozenset({Role.SUPERVISOR, Role.PROVINCE, Role.CITY, Role.DISTRICT, Role.ENTERPRISE})
STATUS_ORDER = Case(
    When(status=InspectionStatus.PLANNED, then=Value(0)),
    When(status=InspectionStatus.REPORTED, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
LABELS = {**dict(InspectionStatus.choices), **dict(FindingStatus.choices)}


def _version(form) -> int:
    return form.cleaned_data.get("version") or 0


# Lists and the detail page ------------------------------------------------------------------


@login_required
@require_safe
def inspection_list(request: HttpRequest) -> HttpResponse:
    membership = require_role(request.user, LIST_ROLES)
    today = timezone.localdate()
    inspections = with_finding_counts(inspection_list_for_user(user=request.user), today)
    inspections, status, _query = list_filter(
        request, inspections, statuses=InspectionStatus.values
    )
    overdue_only = request.GET.get("overdue") == "1"
    if overdue_only:
        inspections = inspections.filter(overdue_count__gt=0)
    inspections = inspections.order_by(
        STATUS_ORDER, "session__date", "-draw__drawn_at", "draw_id", "position"
    )
    page = Paginator(inspections, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/inspection_list.html",
        {
            "page": page,
            "status": status,
            "overdue_only": overdue_only,
            "statuses": InspectionStatus.choices,
            "is_supervisor": membership.is_supervisor,
            "is_enterprise": membership.is_enterprise,
            "today": today,
        },
    )


def _examiners(session) -> list:
    """The plan's examiners, each flagged when their qualification was revoked (R-C3)."""
    if session is None:
        return []
    people = list(session.plan.examiners.order_by("name", "pk"))
    revoked = set(
        Examiner.objects.filter(
            id_hash__in=[p.id_hash for p in people], status=ExaminerStatus.REVOKED
        ).values_list("id_hash", flat=True)
    )
    for person in people:
        person.is_revoked = person.status == ExaminerStatus.REVOKED or person.id_hash in revoked
    return people


def _checklist_rows(inspection) -> list:
    results = dict(services.CHECKLIST_RESULTS)
    rows = []
    for key, label, rule in services.CHECKLIST:
        item = (inspection.checklist or {}).get(key, {})
        rows.append(
            {
                "label": label,
                "rule": rule,
                "result": item.get("result", ""),
                "result_label": results.get(item.get("result", ""), "—"),
                "note": item.get("note", ""),
            }
        )
    return rows


def _sanction_url(inspection) -> str:
    base = reverse("sanction_create")
    return f"{base}?enterprise={inspection.enterprise_id}&inspection={inspection.pk}"


@login_required
@require_safe
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access_inspection(user=request.user, inspection_id=pk)
    role = require_role(request.user).role
    today = timezone.localdate()
    attachments = FindingAttachment.objects.order_by("pk")
    findings = list(
        inspection.findings.select_related("created_by__membership", "responded_by__membership")
        .prefetch_related(Prefetch("attachments", queryset=attachments))
        .order_by("pk")
    )
    for finding in findings:
        finding.late = services.is_late(finding)
        finding.evidence = [
            a for a in finding.attachments.all() if a.side == AttachmentSide.EVIDENCE
        ]
        finding.answers = [
            a for a in finding.attachments.all() if a.side == AttachmentSide.RESPONSE
        ]
    events = list(audit_events_for(inspection))
    for finding in findings:
        events += list(audit_events_for(finding))
    events.sort(key=lambda e: (e.at, e.pk))
    is_bureau = role in BUREAU_ROLES
    pending = any(f.status in PENDING_FINDING for f in findings)
    fraud = any(f.severity == FindingSeverity.FRAUD for f in findings)
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "inspection": inspection,
            "today": today,
            "session": inspection.session,
            "examiners": _examiners(inspection.session),
            "assignments": inspection.assignments.select_related("supervisor__membership"),
            "show_checklist": role != Role.ENTERPRISE,
            "checklist": _checklist_rows(inspection),
            "findings": findings,
            "events": labelled_events(events, LABELS),
            "can_record": role == Role.SUPERVISOR and inspection.status == InspectionStatus.PLANNED,
            "can_add_finding": role == Role.SUPERVISOR
            and inspection.status != InspectionStatus.CLOSED,
            "can_answer": role == Role.ENTERPRISE,
            "can_decide": is_bureau,
            "can_close": is_bureau and inspection.status == InspectionStatus.REPORTED,
            "pending": pending,
            "sanction_url": _sanction_url(inspection) if fraud and role == Role.CITY else "",
        },
    )


# The supervisor -------------------------------------------------------------------------------


@login_required
def inspection_record(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access_inspection(user=request.user, inspection_id=pk, roles={Role.SUPERVISOR})
    if inspection.status != InspectionStatus.PLANNED:
        # R-C2
        messages.error(request, _("This inspection is already reported."))
        return redirect("inspection_detail", pk=pk)
    if request.method != "POST":
        form = RecordForm(initial=RecordForm.initial_from(inspection))
    else:
        form = RecordForm(request.POST)
        if form.is_valid():
            submit = "report" in request.POST
            if service_went_through(
                request,
                form,
                services.inspection_record,
                current=inspection,
                inspection=inspection,
                actor=request.user,
                checklist=form.checklist_data(),
                visited_on=form.cleaned_data["visited_on"],
                conclusion=form.cleaned_data["conclusion"],
                summary=form.cleaned_data["summary"],
                expected_version=_version(form),
                submit=submit,
            ):
                if submit:
                    messages.success(
                        request,
                        _("The inspection is reported; the enterprise now sees the findings."),
                    )
                    return redirect("inspection_detail", pk=pk)
                messages.success(request, _("Saved. Report the inspection when it is complete."))
                return redirect("inspection_record", pk=pk)
    return render(
        request,
        "supervision/inspection_record.html",
        {
            "form": form,
            "inspection": inspection,
            "finding_count": inspection.findings.count(),
            "today": timezone.localdate(),
        },
    )


@login_required
def finding_add(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access_inspection(user=request.user, inspection_id=pk, roles={Role.SUPERVISOR})
    if inspection.status == InspectionStatus.CLOSED:
        messages.error(request, _("The inspection is closed; no finding can be added any more."))
        return redirect("inspection_detail", pk=pk)
    calendar_problem = ""
    try:
        suggested = services.default_rectify_by()
    except CalendarMissing as error:
        suggested = None
        calendar_problem = str(error)
    if request.method != "POST":
        form = FindingForm(initial={"rectify_by": suggested, "rectification_required": True})
    else:
        form = FindingForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            if service_went_through(
                request,
                form,
                services.finding_add,
                inspection=inspection,
                actor=request.user,
                description=data["description"],
                severity=data["severity"],
                rule=data["rule"],
                rectification_required=data["rectification_required"],
                rectification=data["rectification"],
                rectify_by=data["rectify_by"],
                uploads=data["evidence"],
            ):
                messages.success(request, _("The finding is recorded."))
                if inspection.status == InspectionStatus.PLANNED:
                    return redirect("inspection_record", pk=pk)
                return redirect("inspection_detail", pk=pk)
    return render(
        request,
        "supervision/finding_form.html",
        {
            "form": form,
            "inspection": inspection,
            "suggested": suggested,
            "calendar_problem": calendar_problem,
            "working_days": services.RECTIFY_WORKING_DAYS,
        },
    )


# The enterprise -----------------------------------------------------------------------------


@login_required
def finding_answer(request: HttpRequest, pk: int) -> HttpResponse:
    finding = access_finding(user=request.user, finding_id=pk, roles={Role.ENTERPRISE})
    if finding.status != FindingStatus.OPEN:
        messages.error(request, _("This finding is not waiting for a rectification report."))
        return redirect("inspection_detail", pk=finding.inspection_id)
    if request.method != "POST":
        form = AnswerForm(initial={"version": finding.version, "response": finding.response})
    else:
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid() and service_went_through(
            request,
            form,
            services.finding_answer,
            current=finding,
            finding=finding,
            actor=request.user,
            response=form.cleaned_data["response"],
            expected_version=_version(form),
            uploads=form.cleaned_data["files"],
        ):
            messages.success(request, _("The rectification is reported; the bureau will check it."))
            return redirect("inspection_detail", pk=finding.inspection_id)
    return render(
        request,
        "supervision/finding_answer.html",
        {
            "form": form,
            "finding": finding,
            "inspection": finding.inspection,
            "late": services.is_late(finding),
            "evidence": finding.attachments.filter(side=AttachmentSide.EVIDENCE),
        },
    )


# The bureau ---------------------------------------------------------------------------------


def _decide(request: HttpRequest, pk: int, *, form_class, action: str) -> HttpResponse:
    finding = access_finding(user=request.user, finding_id=pk, roles=BUREAU_ROLES)
    if finding.status != FindingStatus.ANSWERED:
        messages.error(
            request,
            _("Only a finding whose rectification was reported can be closed or returned."),
        )
        return redirect("inspection_detail", pk=finding.inspection_id)
    if request.method != "POST":
        initial = {"version": finding.version}
        if action == "return":
            try:
                initial["rectify_by"] = services.default_rectify_by()
            except CalendarMissing as error:
                messages.warning(request, str(error))
        form = form_class(initial=initial)
    else:
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            if action == "close":
                service, more = services.finding_close, {}
            else:
                service, more = services.finding_return, {"rectify_by": data["rectify_by"]}
            if service_went_through(
                request,
                form,
                service,
                current=finding,
                finding=finding,
                actor=request.user,
                note=data["note"],
                expected_version=_version(form),
                **more,
            ):
                if action == "close":
                    messages.success(request, _("The rectification is accepted."))
                else:
                    messages.success(
                        request, _("The finding is returned; the enterprise is notified.")
                    )
                return redirect("inspection_detail", pk=finding.inspection_id)
    return render(
        request,
        "supervision/finding_decide.html",
        {
            "form": form,
            "finding": finding,
            "inspection": finding.inspection,
            "action": action,
            "answers": finding.attachments.filter(side=AttachmentSide.RESPONSE),
            "late": services.is_late(finding),
        },
    )


@login_required
def finding_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, form_class=CloseFindingForm, action="close")


@login_required
def finding_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, form_class=ReturnFindingForm, action="return")


@login_required
def inspection_close(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = access_inspection(user=request.user, inspection_id=pk, roles=BUREAU_ROLES)
    if inspection.status != InspectionStatus.REPORTED:
        # R-M1
        messages.error(request, _("Only a reported inspection can be closed."))
        return redirect("inspection_detail", pk=pk)
    pending = inspection.findings.filter(status__in=PENDING_FINDING).count()
    if request.method != "POST":
        form = CloseInspectionForm(
            initial={
                "version": inspection.version,
                "public_result": services.default_public_result(inspection),
            }
        )
    else:
        form = CloseInspectionForm(request.POST)
        if form.is_valid() and service_went_through(
            request,
            form,
            services.inspection_close,
            current=inspection,
            inspection=inspection,
            actor=request.user,
            public_result=form.cleaned_data["public_result"],
            expected_version=_version(form),
        ):
            messages.success(request, _("The inspection is closed and its result published."))
            return redirect("inspection_detail", pk=pk)
    return render(
        request,
        "supervision/inspection_close.html",
        {"form": form, "inspection": inspection, "pending": pending},
    )


# Files --------------------------------------------------------------------------------------


@login_required
@require_safe
def finding_attachment(request: HttpRequest, pk: int) -> FileResponse:
    visible = finding_list_for_user(user=request.user)
    attachment = FindingAttachment.objects.filter(pk=pk, finding__in=visible).first()
    if attachment is None:
        raise Http404
    return attachment_download(attachment)
