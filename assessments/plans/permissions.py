"""Access gates of implementation plans and their sessions: "missing", "not yours" and "not your
role" are one 404."""

from collections.abc import Collection

from django.http import Http404

from assessments.models import AssessmentSession, ImplementationPlan, PlanStatus
from assessments.plans.selectors import plan_list_for_user, session_list_for_user
from portal.core.access import get_in_scope
from portal.core.models import Role


def access_plan(*, user, plan_id: int, roles: Collection[Role] | None = None) -> ImplementationPlan:
    return get_in_scope(plan_list_for_user(user=user), plan_id, user=user, roles=roles)


def access_acknowledged_plan(
    *, user, plan_id: int, roles: Collection[Role] | None = None
) -> ImplementationPlan:
    """A plan the city acknowledged: only then has it scores, evidence and results."""
    plan = access_plan(user=user, plan_id=plan_id, roles=roles)
    if plan.status != PlanStatus.ACKNOWLEDGED:
        raise Http404
    return plan


def access_editable_plan(
    *, user, plan_id: int, roles: Collection[Role] | None = None
) -> ImplementationPlan:
    """A plan whose content may still change (a draft, or returned for correction)."""
    plan = access_plan(user=user, plan_id=plan_id, roles=roles)
    if not plan.is_editable:
        raise Http404
    return plan


def access_session(
    *, user, session_id: int, roles: Collection[Role] | None = None
) -> AssessmentSession:
    return get_in_scope(session_list_for_user(user=user), session_id, user=user, roles=roles)
