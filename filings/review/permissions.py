"""The access gate of an expert's assignment on a filing (R-F6)."""

from collections.abc import Collection

from django.http import Http404

from filings.filings.permissions import access_filing
from filings.models import ExpertAssignment
from portal.core.models import Role


def access_assignment(
    *, user, filing_id: int, roles: Collection[Role] | None = frozenset({Role.EXPERT})
) -> ExpertAssignment:
    """The user's own assignment on the filing; only an expert has one."""
    filing = access_filing(user=user, filing_id=filing_id, roles=roles)
    try:
        return filing.expert_assignments.select_related("filing").get(expert=user)
    except ExpertAssignment.DoesNotExist:
        raise Http404 from None
