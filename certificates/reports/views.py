"""R-K4: the enterprise exports its certificates for the provincial system and records the
upload; bureaus see the exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from certificates.models import Certificate, CertificateStatus
from certificates.reports import services
from certificates.reports.permissions import access_report
from certificates.reports.selectors import report_list_for_user
from portal.core.access import READING_ROLES, require_role
from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal
from portal.core.models import Role
from portal.core.privacy import full_export_page
from portal.core.xlsx import xlsx_response

PAGE_SIZE = 50


def _pending_reports(enterprise_id: int) -> int:
    return Certificate.objects.filter(
        enterprise_id=enterprise_id, reported_in__isnull=True, status=CertificateStatus.VALID
    ).count()


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    membership = require_role(request.user, READING_ROLES)
    if request.method == "POST":
        if not membership.is_enterprise:
            raise Http404
        enterprise = membership.enterprise
        try:
            report = services.report_create(enterprise=enterprise, actor=request.user)
        except ServiceError as error:
            report_refusal(request, error)
        else:
            messages.success(
                request,
                _(
                    "%(count)s certificates are exported. Download the file, upload it to the "
                    "provincial system, then record the upload here."
                )
                % {"count": report.count},
            )
        return redirect("certificate_report_list")
    reports = (
        report_list_for_user(user=request.user)
        .select_related("created_by__membership", "reported_by__membership")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    pending = None
    if membership.is_enterprise:
        pending = _pending_reports(membership.enterprise_id)
    return render(
        request,
        "certificates/report_list.html",
        {"page": page, "pending": pending},
    )


@login_required
@require_safe
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """R-K4 with the ID numbers masked; the file for the provincial system, in full, is
    report_download_full below (deliberate, audited)."""
    report = access_report(user=request.user, report_id=pk)
    return xlsx_response(
        services.report_file_masked(report=report), filename=report_filename(report)
    )


def report_filename(report) -> str:
    created = timezone.localtime(report.created_at)
    return f"证书数据-{report.enterprise.name}-{created:%Y%m%d-%H%M}.xlsx"


@login_required
@require_POST
def report_uploaded(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(user=request.user, report_id=pk, roles={Role.ENTERPRISE})
    try:
        report = services.report_mark_uploaded(report=report, actor=request.user)
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(
            request,
            _("The upload of %(count)s certificates on %(day)s is recorded.")
            % {"count": report.count, "day": date_format(report.reported_on, "Y-m-d")},
        )
    return redirect("certificate_report_list")


@login_required
def report_download_full(request: HttpRequest, pk: int) -> HttpResponse:
    """R-K4: the file for the provincial system, with full ID numbers; the enterprise uploads
    it, so only the enterprise downloads it in full."""
    report = access_report(user=request.user, report_id=pk, roles={Role.ENTERPRISE})
    return full_export_page(
        request,
        obj=report,
        title=_("Certificate data with full ID numbers, for the provincial system"),
        what=_("certificate report"),
        back_url=reverse("certificate_report_list"),
        make_file=lambda: xlsx_response(
            services.report_file_full(report=report), filename=report_filename(report)
        ),
    )
