"""What the agreement area contributes to the desks: the client's confirmation, the bureau's
approval, the evaluating enterprise's correction."""

from assessments.agreements.selectors import agreement_todo_for_user
from portal.core.models import Role

LIMIT = 20


def agreement_todo(*, user, membership) -> list | None:
    """Agreements waiting for this user's action; None where the role has no such list."""
    if membership.role not in (Role.ENTERPRISE, Role.CITY, Role.PROVINCE):
        return None
    return list(agreement_todo_for_user(user=user)[:LIMIT])
