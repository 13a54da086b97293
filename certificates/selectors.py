"""Reads of certificates, scoped like everything else (STYLE.md rule 3): enterprise → its own,
district → its district's enterprises, city → its city's. Nobody else sees a list."""

from django.db.models import Q, QuerySet

from certificates.models import Certificate, CertificateReport, IssueBatch
from portal.core.roles import membership_of


def _scope(user, prefix: str = "enterprise__") -> Q | None:
    membership = membership_of(user)
    if membership is None:
        return None
    if membership.role == "enterprise":
        return Q(**{f"{prefix}id": membership.enterprise_id})
    if membership.role == "district":
        return Q(**{f"{prefix}district_id": membership.bureau_id})
    if membership.role == "city":
        return Q(**{f"{prefix}district__parent_id": membership.bureau_id})
    return None


def certificate_list_for_user(*, user) -> QuerySet[Certificate]:
    scope = _scope(user)
    certificates = Certificate.objects.select_related("enterprise", "replaces")
    return certificates.none() if scope is None else certificates.filter(scope)


def issue_batch_list_for_user(*, user) -> QuerySet[IssueBatch]:
    scope = _scope(user)
    batches = IssueBatch.objects.select_related(
        "enterprise", "job", "result_batch__plan__scheme__scope_line__occupation"
    )
    return batches.none() if scope is None else batches.filter(scope)


def report_list_for_user(*, user) -> QuerySet[CertificateReport]:
    scope = _scope(user)
    reports = CertificateReport.objects.select_related("enterprise", "created_by", "reported_by")
    return reports.none() if scope is None else reports.filter(scope)
