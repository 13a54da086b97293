"""Reads of schemes, examiners and plans, scoped like filings (STYLE.md rule 3).

enterprise → its own; district → its district's enterprises; city → its city's; expert → the
schemes a django-guardian delegation names. Drafts stay with their enterprise.
"""

from django.db.models import Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from assessments.models import (
    EvaluationScheme,
    Examiner,
    ImplementationPlan,
    PlanStatus,
    SchemeStatus,
)
from portal.core.roles import enterprise_scope, membership_of


def scheme_list_for_user(*, user) -> QuerySet[EvaluationScheme]:
    schemes = EvaluationScheme.objects.select_related(
        "enterprise", "enterprise__district", "scope_line__occupation", "scope_line__work_type"
    )
    membership = membership_of(user)
    if membership is not None and membership.role == "expert":
        assigned = get_objects_for_user(
            user, "assessments.evaluate_scheme", klass=EvaluationScheme, accept_global_perms=False
        )
        return schemes.filter(pk__in=assigned.values("pk")).exclude(status=SchemeStatus.DRAFT)
    scope = enterprise_scope(user)
    if scope is None:
        return schemes.none()
    if membership.role != "enterprise":
        scope &= ~Q(status=SchemeStatus.DRAFT)
    return schemes.filter(scope)


def examiner_list_for_user(*, user) -> QuerySet[Examiner]:
    scope = enterprise_scope(user)
    if scope is None:
        return Examiner.objects.none()
    return Examiner.objects.filter(scope).select_related("enterprise")


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
    if membership_of(user).role != "enterprise":
        scope &= ~Q(status=PlanStatus.DRAFT)
    return plans.filter(scope)
