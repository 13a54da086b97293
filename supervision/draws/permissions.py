"""Access gates of the draw area: a draw of the user's city (a district's staff: of their
district, where the city delegates draws) and a pool entry of the user's city (city staff only).
A missing row, one of another city and a role not in `roles` are the same 404."""

from collections.abc import Collection

from django.http import Http404

from portal.core.access import get_in_scope
from portal.core.models import Role
from supervision.draws.selectors import draw_list_for_user, draw_scope, profile_list_for_user
from supervision.models import Draw, SupervisorProfile


def access_draw(*, user, draw_id: int, roles: Collection[Role] | None = None) -> Draw:
    return get_in_scope(draw_list_for_user(user=user), draw_id, user=user, roles=roles)


def owns_draw(user, draw: Draw) -> bool:
    """Whether the user's bureau made the draw (the city its own, a district its own): only
    that bureau publishes it; the city sees its districts' draws without acting on them."""
    scope = draw_scope(user)
    return scope is not None and draw.district_id == (scope[1].pk if scope[1] else None)


def access_own_draw(*, user, draw_id: int) -> Draw:
    draw = access_draw(user=user, draw_id=draw_id)
    if not owns_draw(user, draw):
        raise Http404
    return draw


def access_profile(
    *, user, profile_id: int, roles: Collection[Role] | None = None
) -> SupervisorProfile:
    return get_in_scope(profile_list_for_user(user=user), profile_id, user=user, roles=roles)
