"""Reads of inspections and findings, scoped to the user (STYLE.md rule 3, R-M1, R-C2).

An assigned quality supervisor sees the inspections delegated to them by guardian (never by a
global permission); the city sees every inspection of its draws; a district those of its
enterprises; an enterprise its own, but only once reported: a random inspection is not
announced in advance (双随机). Everyone else sees nothing.
"""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from portal.core.models import Role
from portal.core.roles import member_area_q, membership_of
from supervision.draws.algorithm import INSPECT_PERM
from supervision.models import Finding, FindingStatus, Inspection, InspectionStatus

# Findings still waiting for the enterprise or for the bureau: an inspection cannot close.
PENDING_FINDING = (FindingStatus.OPEN, FindingStatus.ANSWERED)


def _base() -> QuerySet[Inspection]:
    return Inspection.objects.select_related(
        "draw", "enterprise", "enterprise__district", "session", "session__plan"
    )


def assigned_inspections(*, user) -> QuerySet[Inspection]:
    """The inspections delegated to the supervisor (object permission only)."""
    return get_objects_for_user(
        user, INSPECT_PERM, klass=_base(), accept_global_perms=False, with_superuser=False
    )


def inspection_list_for_user(*, user) -> QuerySet[Inspection]:
    membership = membership_of(user)
    if membership is None:
        return Inspection.objects.none()
    if membership.role == Role.SUPERVISOR:
        return assigned_inspections(user=user)
    if membership.role == Role.CITY:
        return _base().filter(draw__city_id=membership.bureau_id)
    if membership.role == Role.DISTRICT:
        return _base().filter(enterprise__district_id=membership.bureau_id)
    if membership.role == Role.PROVINCE:
        # The provincial centre reads its cities' inspections; the cities run them.
        return _base().filter(member_area_q(membership, "enterprise__district"))
    if membership.role == Role.ENTERPRISE:
        # A planned inspection stays unannounced to its target (R-M1).
        return (
            _base()
            .filter(enterprise_id=membership.enterprise_id)
            .exclude(status=InspectionStatus.PLANNED)
        )
    return Inspection.objects.none()


def with_finding_counts(queryset: QuerySet[Inspection], today: dt.date) -> QuerySet[Inspection]:
    return queryset.annotate(
        finding_count=Count("findings", distinct=True),
        pending_count=Count(
            "findings", filter=Q(findings__status__in=PENDING_FINDING), distinct=True
        ),
        overdue_count=Count(
            "findings",
            filter=Q(findings__status=FindingStatus.OPEN, findings__rectify_by__lt=today),
            distinct=True,
        ),
    )


def finding_list_for_user(*, user) -> QuerySet[Finding]:
    visible = inspection_list_for_user(user=user)
    return Finding.objects.select_related(
        "inspection", "inspection__enterprise", "inspection__draw"
    ).filter(inspection__in=visible.values("pk"))
