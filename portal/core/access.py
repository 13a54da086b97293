"""Access gates share one shape: `access_<entity>(*, user, <entity>_id, roles=None)` in the
area's permissions.py reads the entity from the selector that scopes it to the user, and answers
a missing row, a row out of scope and a role not in `roles` with the same 404 (STYLE.md rule 3).
"""

from collections.abc import Collection

from django.db.models import QuerySet
from django.http import Http404

from portal.core.models import Bureau, Membership, Role
from portal.core.roles import is_city_admin, membership_of

# The bureaus that act on their area's work (pre-review, review, inspections, sanctions …).
BUREAU_ROLES = frozenset({Role.DISTRICT, Role.CITY})
OFFICE_ROLES = frozenset({Role.ENTERPRISE, Role.DISTRICT, Role.CITY})
# Who reads an area's records: the provincial centre reads its cities' too, and acts only on the
# steps its policy routes to it (seed 004).
AREA_ROLES = BUREAU_ROLES | {Role.PROVINCE}
READING_ROLES = OFFICE_ROLES | {Role.PROVINCE}


def require_role(user, roles: Collection[Role] | None = None) -> Membership:
    """The user's membership when its role is one of `roles` (any role when None); else 404."""
    membership = membership_of(user)
    if membership is None:
        raise Http404
    if roles is not None and membership.role not in roles:
        raise Http404
    return membership


def get_in_scope(queryset: QuerySet, pk, *, user=None, roles: Collection[Role] | None = None):
    """The row `pk` of `queryset` (already scoped to the user), checked against `roles`."""
    try:
        found = queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if roles is not None:
        require_role(user, roles)
    return found


def access_administered_city(*, user) -> Bureau:
    """The city `user` administers (settings, calendar, audit trail, staff); 404 for anyone but
    a city administrator."""
    if not is_city_admin(user):
        raise Http404
    city = membership_of(user).bureau.city
    if city is None:
        raise Http404
    return city


def access_administered_bureau(*, user) -> Bureau:
    """The bureau `user` administers at any level (province, city, district): its policy
    settings and presets; 404 for anyone but a bureau's administrator."""
    membership = membership_of(user)
    if membership is None or not membership.is_policy_admin or membership.bureau is None:
        raise Http404
    return membership.bureau
