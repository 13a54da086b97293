"""Access gates: "missing" and "not yours" are the same 404."""

from django.http import Http404

from certificates.models import Certificate, CertificateReport, IssueBatch
from certificates.selectors import (
    certificate_list_for_user,
    issue_batch_list_for_user,
    report_list_for_user,
)
from portal.core.roles import membership_of


def _role_in(user, roles) -> None:
    if roles is not None and membership_of(user).role not in roles:
        raise Http404


def access_certificate(*, user, certificate_id: int, roles=None) -> Certificate:
    try:
        certificate = certificate_list_for_user(user=user).get(pk=certificate_id)
    except Certificate.DoesNotExist:
        raise Http404 from None
    _role_in(user, roles)
    return certificate


def access_issue_batch(*, user, batch_id: int, roles=None) -> IssueBatch:
    try:
        batch = issue_batch_list_for_user(user=user).get(pk=batch_id)
    except IssueBatch.DoesNotExist:
        raise Http404 from None
    _role_in(user, roles)
    return batch


def access_report(*, user, report_id: int, roles=None) -> CertificateReport:
    try:
        report = report_list_for_user(user=user).get(pk=report_id)
    except CertificateReport.DoesNotExist:
        raise Http404 from None
    _role_in(user, roles)
    return report
