"""Reads of implementation plans and their sessions, scoped like filings (STYLE.md rule 3).
Drafts stay with their enterprise."""

import datetime as dt

from django.db.models import Q, QuerySet

from assessments.models import AssessmentSession, ImplementationPlan, PlanStatus
from portal.core.models import Role
from portal.core.roles import enterprise_scope, membership_of


def plan_list_for_user(*, user) -> QuerySet[ImplementationPlan]:
    plans = ImplementationPlan.objects.select_related(
        "enterprise",
        "enterprise__district",
        "scheme__scope_line__occupation",
        "scheme__scope_line__work_type",
    )
    scope = enterprise_scope(user)
    if scope is None:
        return plans.none()
    if membership_of(user).role != Role.ENTERPRISE:
        scope &= ~Q(status=PlanStatus.DRAFT)
    return plans.filter(scope)


def first_session_date(plan: ImplementationPlan) -> dt.date | None:
    return plan.sessions.order_by("date").values_list("date", flat=True).first()


def session_list_for_user(*, user) -> QuerySet[AssessmentSession]:
    return AssessmentSession.objects.filter(plan__in=plan_list_for_user(user=user))
