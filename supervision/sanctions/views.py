"""Sanction pages (R-M2, R-M3, R-M6): the city cancels a filing for fraud; bureaus list the
sanctions of their scope; anyone reads the public list of sanctioned institutions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from filings.models import Enterprise
from portal.core.access import AREA_ROLES, require_role
from portal.core.audit import audit_events_for
from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal
from portal.core.models import Role
from portal.core.policy import policy_of_bureau
from supervision.models import FindingSeverity, Inspection, Sanction, SanctionKind
from supervision.sanctions.forms import CancelFilingForm, SanctionReportForm
from supervision.sanctions.permissions import access_sanction
from supervision.sanctions.reports import province_decides, sanction_report
from supervision.sanctions.selectors import sanction_list_for_user
from supervision.sanctions.services import sanction_impose

PAGE_SIZE = 50


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
def sanction_create(request: HttpRequest) -> HttpResponse:
    """R-M2: cancel a filing (5-year ban), e.g. from an inspection's fraud finding:
    ?enterprise=<id>&inspection=<id> pre-fill the form. Where the province decides removals and
    bans (seed 004 §四(四)), the same form reports the enterprise to the provincial centre."""
    membership = require_role(request.user, {Role.CITY})
    reporting = policy_of_bureau(membership.bureau).removal_decided_by_province
    enterprises = Enterprise.objects.filter(district__parent_id=membership.bureau_id).order_by(
        "name", "pk"
    )
    source = request.POST if request.method == "POST" else request.GET
    enterprise = enterprises.filter(pk=_int(source.get("enterprise"))).first()
    if request.method == "GET" and source.get("enterprise") and enterprise is None:
        # Another city's enterprise (or none at all): not yours is a 404.
        raise Http404
    inspection = None
    if enterprise is not None:
        inspection = (
            Inspection.objects.filter(pk=_int(source.get("inspection")), enterprise=enterprise)
            .select_related("draw")
            .first()
        )
    frauds = list(inspection.findings.filter(severity=FindingSeverity.FRAUD)) if inspection else []
    initial = {
        "enterprise": enterprise,
        "inspection": inspection.pk if inspection else None,
        "reason": "\n".join(f.description for f in frauds),
    }
    form_class = SanctionReportForm if reporting else CancelFilingForm
    form = form_class(request.POST or None, initial=initial, enterprises=enterprises)
    if request.method == "POST" and form.is_valid() and province_decides(enterprise):
        try:
            report = sanction_report(
                enterprise=enterprise,
                kind=form.cleaned_data.get("kind") or SanctionKind.CANCELLED,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                today=timezone.localdate(),
                inspection=inspection,
            )
        except ServiceError as error:
            report_refusal(request, error)
        else:
            messages.success(
                request, _("The enterprise is reported to the provincial centre, which decides.")
            )
            return redirect("sanction_report_detail", pk=report.pk)
    elif request.method == "POST" and form.is_valid():
        try:
            sanction = sanction_impose(
                enterprise=form.cleaned_data["enterprise"],
                kind=SanctionKind.CANCELLED,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                today=timezone.localdate(),
                inspection=inspection,
            )
        except ServiceError as error:
            report_refusal(request, error)
        else:
            messages.success(
                request,
                _("The filing was cancelled; the ban runs until %(until)s.")
                % {"until": sanction.ban_until.isoformat()},
            )
            return redirect("sanction_detail", pk=sanction.pk)
    context = {
        "form": form,
        "reporting": reporting,
        "enterprise": enterprise,
        "inspection": inspection,
        "frauds": frauds,
        "current_filing": enterprise.filings.filter(status="approved").order_by("-pk").first()
        if enterprise
        else None,
    }
    return render(request, "supervision/sanction_form.html", context)


@login_required
@require_safe
def sanction_list(request: HttpRequest) -> HttpResponse:
    membership = require_role(request.user, AREA_ROLES)
    today = timezone.localdate()
    sanctions = sanction_list_for_user(user=request.user).order_by("-decided_on", "-pk")
    show = request.GET.get("show", "running")
    if show != "all":
        show = "running"
        sanctions = sanctions.filter(ban_until__gte=today)
    page = Paginator(sanctions, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "show": show,
        "today": today,
        "is_city": membership.is_city,
        "reporting": membership.is_bureau
        and policy_of_bureau(membership.bureau).removal_decided_by_province,
    }
    return render(request, "supervision/sanction_list.html", context)


@login_required
@require_safe
def sanction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sanction = access_sanction(user=request.user, sanction_id=pk, roles=AREA_ROLES)
    context = {
        "sanction": sanction,
        "today": timezone.localdate(),
        "evaluation": getattr(sanction, "evaluation", None),
        "report": getattr(sanction, "report", None),
        "events": audit_events_for(sanction),
    }
    return render(request, "supervision/sanction_detail.html", context)


@require_safe
def public_sanction_list(request: HttpRequest) -> HttpResponse:
    """R-M6: credit records — institutions sanctioned for dishonest conduct or removed, public."""
    today = timezone.localdate()
    sanctions = Sanction.objects.select_related("enterprise__district").order_by(
        "-decided_on", "-pk"
    )
    show = request.GET.get("show", "running")
    if show != "all":
        show = "running"
        sanctions = sanctions.filter(ban_until__gte=today)
    page = Paginator(sanctions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/public_sanction_list.html",
        {"page": page, "show": show, "today": today},
    )
