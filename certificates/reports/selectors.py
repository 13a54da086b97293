"""Certificate exports (R-K4), scoped like the certificates they hold."""

from django.db.models import QuerySet

from certificates.models import CertificateReport
from portal.core.roles import enterprise_scope


def report_list_for_user(*, user) -> QuerySet[CertificateReport]:
    scope = enterprise_scope(user)
    reports = CertificateReport.objects.select_related("enterprise", "created_by", "reported_by")
    return reports.none() if scope is None else reports.filter(scope)
