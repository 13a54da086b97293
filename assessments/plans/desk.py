"""What the plan area contributes to the desks."""

from assessments.models import PlanStatus
from assessments.plans.selectors import plan_list_for_user
from portal.core.models import Role

LIMIT = 20


def plan_todo_for_user(*, user, membership) -> list | None:
    """Plans waiting for this user's action; None where the role has no such list."""
    plans = plan_list_for_user(user=user)
    if membership.role == Role.ENTERPRISE:
        return list(plans.filter(status=PlanStatus.RETURNED)[:LIMIT])
    if membership.role == Role.CITY:
        return list(plans.filter(status=PlanStatus.SUBMITTED).order_by("submitted_on")[:LIMIT])
    return None
