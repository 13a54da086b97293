"""Filings a user may see (STYLE.md rule 3): enterprise → its own; district → its district's;
city → its city's; province → its cities'; expert → the filings a django-guardian delegation
names. Drafts stay with their enterprise until submitted.

What waits for a reviewer follows the filing's reviewing bureau (R-F5), not the area: a city
still sees (read-only) the filing of a province-administered enterprise of its area, but it is
never on the city's to-do list and the city cannot act on it; the province acts on it.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from filings.models import ExpertAssignment, Filing, FilingStatus
from portal.core.models import Role
from portal.core.roles import member_area_q, membership_of

# The roles with a list of filings (a supervisor works on inspections instead).
LISTING_ROLES = frozenset({Role.ENTERPRISE, Role.DISTRICT, Role.CITY, Role.PROVINCE, Role.EXPERT})


def filing_list_for_user(*, user) -> QuerySet[Filing]:
    membership = membership_of(user)
    filings = Filing.objects.select_related(
        "enterprise", "enterprise__district", "reviewing_bureau"
    )
    if membership is None:
        return filings.none()
    role = membership.role
    if role == Role.ENTERPRISE:
        return filings.filter(enterprise_id=membership.enterprise_id)
    submitted = ~Q(status=FilingStatus.DRAFT)
    area = member_area_q(membership, "district")
    if area is not None:
        return filings.filter(submitted, area)
    if role == Role.EXPERT:
        assigned = get_objects_for_user(
            user, "filings.evaluate_filing", klass=Filing, accept_global_perms=False
        )
        return filings.filter(pk__in=assigned.values("pk")).exclude(status=FilingStatus.DRAFT)
    return filings.none()


DECIDING_STATUSES = [
    FilingStatus.CITY_REVIEW,
    FilingStatus.EXPERT_REVIEW,
    FilingStatus.CONFIRMATION,
]


def filing_todo_for_user(*, user) -> QuerySet[Filing]:
    """What waits for this user's action, oldest deadline first."""
    membership = membership_of(user)
    filings = filing_list_for_user(user=user)
    if membership is None:
        return filings.none()
    role = membership.role
    if role == Role.ENTERPRISE:
        return filings.filter(status__in=[FilingStatus.DRAFT, FilingStatus.RETURNED])
    if role == Role.DISTRICT:
        return filings.filter(status=FilingStatus.DISTRICT_REVIEW).order_by("submitted_at")
    if role in (Role.CITY, Role.PROVINCE):
        # Seed 002 §六(三): a proposed decision waits for another officer than its proposer.
        return (
            filings.filter(reviewing_bureau_id=membership.bureau_id, status__in=DECIDING_STATUSES)
            .exclude(status=FilingStatus.CONFIRMATION, proposed_by=user)
            .order_by("due_on", "received_on")
        )
    if role == Role.EXPERT:
        pending = ExpertAssignment.objects.filter(
            filing=OuterRef("pk"), expert=user, submitted_at__isnull=True
        )
        return filings.filter(Exists(pending), status=FilingStatus.EXPERT_REVIEW).order_by("due_on")
    return filings.none()
