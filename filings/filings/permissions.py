"""The access gate of a filing: "missing", "not yours" and "not your role" are one 404."""

from collections.abc import Collection

from filings.filings.selectors import filing_list_for_user
from filings.models import Filing
from portal.core.access import get_in_scope
from portal.core.models import Role


def access_filing(*, user, filing_id: int, roles: Collection[Role] | None = None) -> Filing:
    return get_in_scope(filing_list_for_user(user=user), filing_id, user=user, roles=roles)
