"""Sanctions a user may read: those of the enterprises in their scope (STYLE.md rule 3)."""

from django.db.models import QuerySet

from portal.core.models import Role
from portal.core.policy import policy_of_bureau
from portal.core.roles import area_q, enterprise_scope, membership_of
from supervision.models import Sanction, SanctionReport


def sanction_list_for_user(*, user) -> QuerySet[Sanction]:
    scope = enterprise_scope(user)
    if scope is None:
        return Sanction.objects.none()
    return Sanction.objects.filter(scope).select_related(
        "enterprise__district", "filing", "decided_by__membership"
    )


def sanction_report_list_for_user(*, user) -> QuerySet[SanctionReport]:
    """Seed 004 §四(四): a city reads the reports on its enterprises, a province those of its
    cities; nobody else has any."""
    membership = membership_of(user)
    if membership is None or membership.role not in (Role.CITY, Role.PROVINCE):
        return SanctionReport.objects.none()
    return SanctionReport.objects.filter(area_q(membership.bureau)).select_related(
        "enterprise__district__parent", "reported_by__membership", "decided_by__membership"
    )


REPORT_ROLES = frozenset({Role.CITY, Role.PROVINCE})


def reports_page_for(membership) -> bool:
    """The list is the province's, and a city's whose province decides its sanctions."""
    if membership is None or membership.role not in REPORT_ROLES:
        return False
    return membership.is_province or bool(
        policy_of_bureau(membership.bureau).removal_decided_by_province
    )
