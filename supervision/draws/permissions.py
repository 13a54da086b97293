"""Access gates of the draw area: a draw and a pool entry of the user's city (city staff only).
A missing row, one of another city and a role not in `roles` are the same 404."""

from collections.abc import Collection

from portal.core.access import get_in_scope
from portal.core.models import Role
from supervision.draws.selectors import draw_list_for_user, profile_list_for_user
from supervision.models import Draw, SupervisorProfile


def access_draw(*, user, draw_id: int, roles: Collection[Role] | None = None) -> Draw:
    return get_in_scope(draw_list_for_user(user=user), draw_id, user=user, roles=roles)


def access_profile(
    *, user, profile_id: int, roles: Collection[Role] | None = None
) -> SupervisorProfile:
    return get_in_scope(profile_list_for_user(user=user), profile_id, user=user, roles=roles)
