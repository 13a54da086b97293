"""Access gate of evaluation schemes: "missing", "not yours" and "not your role" are one 404."""

from collections.abc import Collection

from assessments.models import EvaluationScheme
from assessments.schemes.selectors import scheme_list_for_user
from portal.core.access import get_in_scope
from portal.core.models import Role


def access_scheme(
    *, user, scheme_id: int, roles: Collection[Role] | None = None
) -> EvaluationScheme:
    return get_in_scope(scheme_list_for_user(user=user), scheme_id, user=user, roles=roles)
