"""The access gate of CertificateReport: "missing", "not yours" and "not your role" are one 404."""

from collections.abc import Collection

from certificates.models import CertificateReport
from certificates.reports.selectors import report_list_for_user
from portal.core.access import get_in_scope
from portal.core.models import Role


def access_report(
    *, user, report_id: int, roles: Collection[Role] | None = None
) -> CertificateReport:
    return get_in_scope(report_list_for_user(user=user), report_id, user=user, roles=roles)
