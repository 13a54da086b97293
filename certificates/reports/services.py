"""R-K4: exports of the certificates for the provincial system, and their upload."""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certificates.models import (
    Certificate,
    CertificateReport,
    CertificateStatus,
)
from certificates.reports.spreadsheets import report_xlsx
from filings.models import Enterprise
from portal.core.audit import audit_record
from portal.core.crypto import open_bytes, seal_bytes
from portal.core.errors import InvalidTransition, ServiceError


def _d(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


# Reporting (R-K4) ---------------------------------------------------------------------------


def report_create(*, enterprise: Enterprise, actor) -> CertificateReport:
    """Export every certificate not yet reported (new, corrected, reissued) in roster format."""

    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        pending = list(
            Certificate.objects.filter(
                enterprise=enterprise, reported_in__isnull=True, status=CertificateStatus.VALID
            )
            .select_related("entry")
            .order_by("issued_on", "number")
        )
        if not pending:
            raise ServiceError(_("Every certificate has already been reported."))
        report = CertificateReport(enterprise=enterprise, created_by=actor, count=len(pending))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        # The file for the provincial system holds full ID numbers: sealed on disk (PIPL).
        report.file.save(
            f"certificate-report-{enterprise.pk}-{stamp}.xlsx",
            ContentFile(seal_bytes(report_xlsx(pending, masked=False))),
            save=False,
        )
        report.save()
        Certificate.objects.filter(pk__in=[c.pk for c in pending]).update(reported_in=report)
        audit_record(
            obj=enterprise, actor=actor, action="certificates_reported", note=str(len(pending))
        )
    return report


def report_mark_uploaded(*, report: CertificateReport, actor) -> CertificateReport:
    """The enterprise records that it uploaded the export to the provincial system."""
    with transaction.atomic():
        report = CertificateReport.objects.select_for_update().get(pk=report.pk)
        if report.reported_on:
            raise InvalidTransition(
                _("This export was already recorded as uploaded on %(day)s.")
                % {"day": _d(report.reported_on)}
            )
        report.reported_on = timezone.localdate()
        report.reported_by = actor
        report.save(update_fields=["reported_on", "reported_by"])
    return report


def report_file_full(*, report: CertificateReport) -> bytes:
    """The stored report (R-K4) as made for the provincial system: full ID numbers."""
    with report.file.open("rb") as stored:
        return open_bytes(stored.read())


def report_file_masked(*, report: CertificateReport) -> bytes:
    """The same rows with the ID numbers masked: what the usual download gives (PIPL)."""

    certificates = report.certificates.select_related("entry").order_by("issued_on", "number")
    return report_xlsx(certificates, masked=True)
