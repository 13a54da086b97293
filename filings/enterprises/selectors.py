"""Enterprises a user may see (STYLE.md rule 3): enterprise → its own; district → its district's;
city → its city's; province → its cities'."""

from django.db.models import QuerySet

from filings.models import Enterprise
from portal.core.models import Role
from portal.core.roles import member_area_q, membership_of


def enterprise_list_for_user(*, user) -> QuerySet[Enterprise]:
    membership = membership_of(user)
    enterprises = Enterprise.objects.select_related("district", "district__parent")
    if membership is None:
        return enterprises.none()
    if membership.role == Role.ENTERPRISE:
        return enterprises.filter(pk=membership.enterprise_id)
    area = member_area_q(membership, "district")
    return enterprises.none() if area is None else enterprises.filter(area)
