"""Reads of enterprises and filings, scoped to what a user may see (STYLE.md rule 3).

enterprise → its own; district → its district; city → its city; expert → the filings a
django-guardian delegation names. Drafts stay with their enterprise until submitted.
"""

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from filings.models import Enterprise, ExpertAssignment, Filing, FilingStatus
from portal.core.roles import membership_of


def enterprise_list_for_user(*, user) -> QuerySet[Enterprise]:
    membership = membership_of(user)
    enterprises = Enterprise.objects.select_related("district", "district__parent")
    if membership is None:
        return enterprises.none()
    if membership.role == "enterprise":
        return enterprises.filter(pk=membership.enterprise_id)
    if membership.role == "district":
        return enterprises.filter(district_id=membership.bureau_id)
    if membership.role == "city":
        return enterprises.filter(district__parent_id=membership.bureau_id)
    return enterprises.none()


def filing_list_for_user(*, user) -> QuerySet[Filing]:
    membership = membership_of(user)
    filings = Filing.objects.select_related("enterprise", "enterprise__district")
    if membership is None:
        return filings.none()
    role = membership.role
    if role == "enterprise":
        return filings.filter(enterprise_id=membership.enterprise_id)
    submitted = ~Q(status=FilingStatus.DRAFT)
    if role == "district":
        return filings.filter(submitted, district_id=membership.bureau_id)
    if role == "city":
        return filings.filter(submitted, district__parent_id=membership.bureau_id)
    if role == "expert":
        assigned = get_objects_for_user(
            user, "filings.evaluate_filing", klass=Filing, accept_global_perms=False
        )
        return filings.filter(pk__in=assigned.values("pk")).exclude(status=FilingStatus.DRAFT)
    return filings.none()


def filing_todo_for_user(*, user) -> QuerySet[Filing]:
    """What waits for this user's action, oldest deadline first."""
    membership = membership_of(user)
    filings = filing_list_for_user(user=user)
    if membership is None:
        return filings.none()
    role = membership.role
    if role == "enterprise":
        return filings.filter(status__in=[FilingStatus.DRAFT, FilingStatus.RETURNED])
    if role == "district":
        return filings.filter(status=FilingStatus.DISTRICT_REVIEW).order_by("submitted_at")
    if role == "city":
        return filings.filter(
            status__in=[FilingStatus.CITY_REVIEW, FilingStatus.EXPERT_REVIEW]
        ).order_by("due_on", "received_on")
    if role == "expert":
        pending = ExpertAssignment.objects.filter(
            filing=OuterRef("pk"), expert=user, submitted_at__isnull=True
        )
        return filings.filter(Exists(pending), status=FilingStatus.EXPERT_REVIEW).order_by("due_on")
    return filings.none()


def directory_filings(*, today: dt.date) -> QuerySet[Filing]:
    """R-M5: the public directory, approved filings still valid."""
    return (
        Filing.objects.filter(status=FilingStatus.APPROVED, valid_until__gte=today)
        .select_related("enterprise", "enterprise__district")
        .order_by("enterprise__name", "pk")
    )
