"""Access gates of complaints: the one a user may see, and the one their bureau handles (take
up, answer). A missing complaint, one out of scope and a role not in `roles` are the same 404."""

from collections.abc import Collection

from portal.core.access import get_in_scope
from portal.core.models import Role
from supervision.complaints.selectors import (
    complaint_list_for_user,
    handled_complaint_list_for_user,
)
from supervision.models import Complaint


def access_complaint(
    *, user, complaint_id: int, roles: Collection[Role] | None = None
) -> Complaint:
    return get_in_scope(complaint_list_for_user(user=user), complaint_id, user=user, roles=roles)


def access_handled_complaint(
    *, user, complaint_id: int, roles: Collection[Role] | None = None
) -> Complaint:
    complaints = handled_complaint_list_for_user(user=user)
    return get_in_scope(complaints, complaint_id, user=user, roles=roles)
