"""Reports of a sanction to the province (seed 004 §四(四)): the city's and the province's list,
the report's page, and the province's decision on it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from portal.core.access import require_role
from portal.core.audit import audit_events_for
from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal
from portal.core.models import Role
from portal.core.record_views import report_form_errors
from supervision.models import ReportStatus
from supervision.sanctions.forms import ReportDecisionForm
from supervision.sanctions.permissions import access_sanction_report
from supervision.sanctions.reports import IMPOSE, sanction_report_decide
from supervision.sanctions.selectors import (
    REPORT_ROLES,
    reports_page_for,
    sanction_report_list_for_user,
)

PAGE_SIZE = 50


@login_required
@require_safe
def sanction_report_list(request: HttpRequest) -> HttpResponse:
    membership = require_role(request.user, REPORT_ROLES)
    if not reports_page_for(membership):
        raise Http404
    reports = sanction_report_list_for_user(user=request.user)
    show = request.GET.get("show", ReportStatus.PENDING)
    if show in ReportStatus.values:
        reports = reports.filter(status=show)
    else:
        show = "all"
    page = Paginator(reports.order_by("-reported_on", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "show": show,
        "statuses": [*ReportStatus.choices, ("all", _("All"))],
        "is_city": membership.is_city,
    }
    return render(request, "supervision/sanction_report_list.html", context)


@login_required
@require_safe
def sanction_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_sanction_report(user=request.user, report_id=pk, roles=REPORT_ROLES)
    membership = require_role(request.user)
    context = {
        "report": report,
        "events": audit_events_for(report),
        "decision_form": ReportDecisionForm()
        if membership.is_province and report.status == ReportStatus.PENDING
        else None,
    }
    return render(request, "supervision/sanction_report_detail.html", context)


@login_required
@require_POST
def sanction_report_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The provincial centre imposes the reported sanction or declines it."""
    report = access_sanction_report(user=request.user, report_id=pk, roles={Role.PROVINCE})
    form = ReportDecisionForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("sanction_report_detail", pk=pk)
    try:
        report = sanction_report_decide(
            report=report,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
            today=timezone.localdate(),
        )
    except ServiceError as error:
        report_refusal(request, error)
        return redirect("sanction_report_detail", pk=pk)
    if form.cleaned_data["decision"] == IMPOSE:
        messages.success(
            request,
            _("The sanction is imposed; the ban runs until %(until)s.")
            % {"until": report.sanction.ban_until.isoformat()},
        )
    else:
        messages.success(request, _("The sanction is declined; the city is told."))
    return redirect("sanction_report_detail", pk=pk)
