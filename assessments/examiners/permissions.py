"""Access gate of examiners: "missing", "not yours" and "not your role" are one 404."""

from collections.abc import Collection

from assessments.examiners.selectors import examiner_list_for_user
from assessments.models import Examiner
from portal.core.access import get_in_scope
from portal.core.models import Role


def access_examiner(*, user, examiner_id: int, roles: Collection[Role] | None = None) -> Examiner:
    return get_in_scope(examiner_list_for_user(user=user), examiner_id, user=user, roles=roles)
