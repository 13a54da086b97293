"""Access gates of inspections and findings: the row from the user's scope (selectors), with the
same 404 for a missing one, one out of scope and a role not in `roles`."""

from collections.abc import Collection

from portal.core.access import get_in_scope
from portal.core.models import Role
from supervision.inspections.selectors import finding_list_for_user, inspection_list_for_user
from supervision.models import Finding, Inspection


def access_inspection(
    *, user, inspection_id: int, roles: Collection[Role] | None = None
) -> Inspection:
    return get_in_scope(inspection_list_for_user(user=user), inspection_id, user=user, roles=roles)


def access_finding(*, user, finding_id: int, roles: Collection[Role] | None = None) -> Finding:
    return get_in_scope(finding_list_for_user(user=user), finding_id, user=user, roles=roles)
