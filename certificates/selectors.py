"""Reads of certificates, scoped like everything else (STYLE.md rule 3): enterprise → its own,
district → its district's enterprises, city → its city's. Nobody else sees a list."""

from django.db.models import QuerySet

from certificates.models import Certificate, CertificateReport, IssueBatch
from portal.core.roles import enterprise_scope


def certificate_list_for_user(*, user) -> QuerySet[Certificate]:
    scope = enterprise_scope(user)
    certificates = Certificate.objects.select_related("enterprise", "replaces")
    return certificates.none() if scope is None else certificates.filter(scope)


def issue_batch_list_for_user(*, user) -> QuerySet[IssueBatch]:
    scope = enterprise_scope(user)
    batches = IssueBatch.objects.select_related(
        "enterprise", "job", "result_batch__plan__scheme__scope_line__occupation"
    )
    return batches.none() if scope is None else batches.filter(scope)


def report_list_for_user(*, user) -> QuerySet[CertificateReport]:
    scope = enterprise_scope(user)
    reports = CertificateReport.objects.select_related("enterprise", "created_by", "reported_by")
    return reports.none() if scope is None else reports.filter(scope)
