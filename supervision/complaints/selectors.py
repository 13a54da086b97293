"""Who sees which complaints (R-M5): the responsible bureau its own; a city all of its city's,
the districts' included; a province its cities' (to read). Everyone else sees none: "not yours"
is the same 404 as "missing"."""

from django.db.models import Q, QuerySet
from django.http import Http404

from portal.core.access import AREA_ROLES, BUREAU_ROLES, require_role
from portal.core.models import Membership, Role
from supervision.models import Complaint


def bureau_membership(user) -> Membership:
    """The bureau reviewer's membership, or 404 for anyone else."""
    membership = require_role(user, AREA_ROLES)
    if not membership.bureau_id:
        raise Http404
    return membership


def complaint_scope(membership: Membership) -> Q:
    if membership.role == Role.CITY:
        return Q(city_id=membership.bureau_id)
    if membership.role == Role.PROVINCE:
        return Q(city__parent_id=membership.bureau_id)
    return Q(bureau_id=membership.bureau_id)


def complaint_list_for_user(*, user) -> QuerySet[Complaint]:
    membership = bureau_membership(user)
    return Complaint.objects.filter(complaint_scope(membership)).select_related(
        "bureau", "enterprise", "handler", "handler__membership"
    )


def handled_complaint_list_for_user(*, user) -> QuerySet[Complaint]:
    """The complaints the user's own bureau is responsible for: a city sees its districts'
    complaints but does not answer them."""
    membership = bureau_membership(user)
    return complaint_list_for_user(user=user).filter(bureau_id=membership.bureau_id)


def is_handling_bureau(user, complaint: Complaint) -> bool:
    membership = require_role(user)
    return membership.role in BUREAU_ROLES and membership.bureau_id == complaint.bureau_id
