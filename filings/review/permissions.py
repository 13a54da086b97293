"""The access gates of the review: the reviewing bureau's actions (R-F5 … R-F7) and an
expert's assignment on a filing (R-F6)."""

from collections.abc import Collection

from django.http import Http404

from filings.filings.permissions import access_filing
from filings.models import ExpertAssignment, Filing
from portal.core.models import Role
from portal.core.roles import membership_of

DECIDING_ROLES = frozenset({Role.CITY, Role.PROVINCE})


def access_review(*, user, filing_id: int) -> Filing:
    """A filing its reviewing bureau acts on (experts, decision, confirmation): only that
    bureau's city or provincial reviewers; a city sees a province-routed filing of its area but
    gets a 404 on its actions."""
    filing = access_filing(user=user, filing_id=filing_id, roles=DECIDING_ROLES)
    if filing.reviewing_bureau_id != membership_of(user).bureau_id:
        raise Http404
    return filing


def access_assignment(
    *, user, filing_id: int, roles: Collection[Role] | None = frozenset({Role.EXPERT})
) -> ExpertAssignment:
    """The user's own assignment on the filing; only an expert has one."""
    filing = access_filing(user=user, filing_id=filing_id, roles=roles)
    try:
        return filing.expert_assignments.select_related("filing").get(expert=user)
    except ExpertAssignment.DoesNotExist:
        raise Http404 from None
