"""Access gates: one per entity; "missing" and "not yours" are the same 404."""

from django.http import Http404

from filings.models import Enterprise, ExpertAssignment, Filing
from filings.selectors import enterprise_list_for_user, filing_list_for_user
from portal.core.roles import membership_of


def access_filing(*, user, filing_id: int) -> Filing:
    try:
        return filing_list_for_user(user=user).get(pk=filing_id)
    except Filing.DoesNotExist:
        raise Http404 from None


def access_filing_as_owner(*, user, filing_id: int) -> Filing:
    """The enterprise that owns the filing; anyone else gets a 404."""
    filing = access_filing(user=user, filing_id=filing_id)
    membership = membership_of(user)
    if membership.role != "enterprise":
        raise Http404
    return filing


def access_filing_as_role(*, user, filing_id: int, role: str) -> Filing:
    filing = access_filing(user=user, filing_id=filing_id)
    if membership_of(user).role != role:
        raise Http404
    return filing


def access_assignment(*, user, filing_id: int) -> ExpertAssignment:
    filing = access_filing_as_role(user=user, filing_id=filing_id, role="expert")
    try:
        return filing.expert_assignments.select_related("filing").get(expert=user)
    except ExpertAssignment.DoesNotExist:
        raise Http404 from None


def access_enterprise(*, user, enterprise_id: int) -> Enterprise:
    try:
        return enterprise_list_for_user(user=user).get(pk=enterprise_id)
    except Enterprise.DoesNotExist:
        raise Http404 from None
