"""Who sees which complaints (R-M5): the responsible bureau its own; a city all of its city's,
the districts' included. Everyone else sees none: "not yours" is the same 404 as "missing"."""

from django.db.models import Q, QuerySet
from django.http import Http404

from portal.core.models import Membership, Role
from portal.core.roles import membership_of
from supervision.models import Complaint

BUREAU_ROLES = (Role.DISTRICT, Role.CITY)


def bureau_membership(user) -> Membership:
    """The bureau reviewer's membership, or 404 for anyone else."""
    membership = membership_of(user)
    if membership is None or membership.role not in BUREAU_ROLES or not membership.bureau_id:
        raise Http404
    return membership


def complaint_scope(membership: Membership) -> Q:
    if membership.role == Role.CITY:
        return Q(city_id=membership.bureau_id)
    return Q(bureau_id=membership.bureau_id)


def complaint_list_for_user(*, user) -> QuerySet[Complaint]:
    membership = bureau_membership(user)
    return Complaint.objects.filter(complaint_scope(membership)).select_related(
        "bureau", "enterprise", "handler", "handler__membership"
    )


def access_complaint(*, user, complaint_id: int, handling: bool = False) -> Complaint:
    """The complaint if the user may see it; with `handling`, only the responsible bureau's
    staff pass (a city sees its districts' complaints but does not answer them)."""
    membership = bureau_membership(user)
    complaints = Complaint.objects.filter(complaint_scope(membership))
    if handling:
        complaints = complaints.filter(bureau_id=membership.bureau_id)
    complaint = complaints.select_related("bureau", "enterprise", "handler").filter(pk=complaint_id)
    found = complaint.first()
    if found is None:
        raise Http404
    return found


def is_handling_bureau(user, complaint: Complaint) -> bool:
    membership = membership_of(user)
    return bool(
        membership
        and membership.role in BUREAU_ROLES
        and membership.bureau_id == complaint.bureau_id
    )
