"""Enterprises a user may see (STYLE.md rule 3): enterprise → its own; district → its district's;
city → its city's."""

from django.db.models import QuerySet

from filings.models import Enterprise
from portal.core.models import Role
from portal.core.roles import membership_of


def enterprise_list_for_user(*, user) -> QuerySet[Enterprise]:
    membership = membership_of(user)
    enterprises = Enterprise.objects.select_related("district", "district__parent")
    if membership is None:
        return enterprises.none()
    if membership.role == Role.ENTERPRISE:
        return enterprises.filter(pk=membership.enterprise_id)
    if membership.role == Role.DISTRICT:
        return enterprises.filter(district_id=membership.bureau_id)
    if membership.role == Role.CITY:
        return enterprises.filter(district__parent_id=membership.bureau_id)
    return enterprises.none()
