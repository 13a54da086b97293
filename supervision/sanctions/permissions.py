"""Access gate of a sanction: one of the user's scope; a missing one, one out of scope and a role
not in `roles` are the same 404."""

from collections.abc import Collection

from portal.core.access import get_in_scope
from portal.core.models import Role
from supervision.models import Sanction
from supervision.sanctions.selectors import sanction_list_for_user


def access_sanction(*, user, sanction_id: int, roles: Collection[Role] | None = None) -> Sanction:
    return get_in_scope(sanction_list_for_user(user=user), sanction_id, user=user, roles=roles)
