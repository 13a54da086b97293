"""The access gate of an enterprise: "missing", "not yours" and "not your role" are one 404."""

from collections.abc import Collection

from filings.enterprises.selectors import enterprise_list_for_user
from filings.models import Enterprise
from portal.core.access import get_in_scope
from portal.core.models import Role


def access_enterprise(
    *, user, enterprise_id: int, roles: Collection[Role] | None = None
) -> Enterprise:
    return get_in_scope(enterprise_list_for_user(user=user), enterprise_id, user=user, roles=roles)
