"""The access gate of IssueBatch: "missing", "not yours" and "not your role" are the same 404."""

from collections.abc import Collection

from certificates.issuance.selectors import issue_batch_list_for_user
from certificates.models import IssueBatch
from portal.core.access import get_in_scope
from portal.core.models import Role


def access_issue_batch(
    *, user, issue_batch_id: int, roles: Collection[Role] | None = None
) -> IssueBatch:
    return get_in_scope(
        issue_batch_list_for_user(user=user), issue_batch_id, user=user, roles=roles
    )
