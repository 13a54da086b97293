"""What waits for each role in the certificate stage, for the dashboard."""

from django.db.models import Exists, OuterRef

from assessments.models import BatchStatus
from assessments.results.selectors import result_batch_list_for_user
from certificates.models import Certificate, CertificateStatus, NumberingPrefix
from filings.enterprises.selectors import enterprise_list_for_user
from filings.models import FilingStatus
from portal.core.models import Role
from portal.core.roles import membership_of

LIMIT = 20


def certificate_todo_for_user(*, user) -> dict:
    membership = membership_of(user)
    if membership is None:
        return {}
    if membership.role == Role.ENTERPRISE:
        to_issue = (
            result_batch_list_for_user(user=user)
            .filter(status=BatchStatus.APPROVED, issue_batch__isnull=True)
            .order_by("approved_on")
        )
        unreported = Certificate.objects.filter(
            enterprise_id=membership.enterprise_id,
            status=CertificateStatus.VALID,
            reported_in__isnull=True,
        ).count()
        return {"to_issue": list(to_issue[:LIMIT]), "unreported": unreported}
    if membership.role == Role.CITY:
        # R-K2: filed enterprises cannot issue certificates until the city sets their prefix.
        without_prefix = (
            enterprise_list_for_user(user=user)
            .filter(filings__status=FilingStatus.APPROVED)
            .exclude(Exists(NumberingPrefix.objects.filter(enterprise=OuterRef("pk"))))
            .distinct()
            .order_by("name")
        )
        return {"without_prefix": list(without_prefix[:LIMIT])}
    return {}
