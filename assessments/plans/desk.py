"""What the plan area contributes to the desks."""

from django.db.models import Count, Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from assessments.models import PlanStatus, ResultBatch
from assessments.plans.selectors import plan_list_for_user
from portal.core.models import Role

LIMIT = 20
ENTERPRISE_STATUSES = [
    PlanStatus.RETURNED,
    PlanStatus.DRAFT,
    PlanStatus.ACKNOWLEDGED,
    PlanStatus.SUBMITTED,
]


def plan_todo_for_user(*, user, membership) -> list | None:
    """Plans waiting for this user's action; None where the role has no such list."""
    plans = plan_list_for_user(user=user)
    if membership.role == Role.ENTERPRISE:
        return _enterprise_work(plans)
    if membership.role == Role.CITY:
        return list(plans.filter(status=PlanStatus.SUBMITTED).order_by("submitted_on")[:LIMIT])
    return None


def _enterprise_work(plans) -> list:
    """The enterprise's plans that need its next step (returned, a draft without or with its
    roster, acknowledged but without results yet) and those waiting for the city."""
    has_results = ResultBatch.objects.filter(plan=OuterRef("pk"))
    rows = list(
        plans.filter(status__in=ENTERPRISE_STATUSES)
        .exclude(Exists(has_results))
        .annotate(examinees=Count("roster"))
        .order_by("pk")[:LIMIT]
    )
    rows.sort(key=lambda plan: ENTERPRISE_STATUSES.index(plan.status))
    for plan in rows:
        plan.waiting_for = ""
        if plan.status == PlanStatus.RETURNED:
            plan.next_step = _("Correct it as the city asked and submit it again")
        elif plan.status == PlanStatus.DRAFT and not plan.examinees:
            plan.next_step = _("Import the roster of examinees")
        elif plan.status == PlanStatus.DRAFT:
            plan.next_step = _("Check the plan and submit it to the city")
        elif plan.status == PlanStatus.ACKNOWLEDGED:
            plan.next_step = _("Hold the assessment, enter the scores and publicise the results")
        else:
            plan.next_step = ""
            plan.waiting_for = _("Waiting for the city to acknowledge it")
    return rows
