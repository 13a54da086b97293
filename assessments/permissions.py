"""Access gates: one per entity; "missing" and "not yours" are the same 404."""

from django.http import Http404

from assessments.models import EvaluationScheme, Examiner, ImplementationPlan
from assessments.selectors import examiner_list_for_user, plan_list_for_user, scheme_list_for_user
from portal.core.roles import membership_of


def _role_is(user, role: str | None) -> None:
    if role is not None and membership_of(user).role != role:
        raise Http404


def access_scheme(*, user, scheme_id: int, role: str | None = None) -> EvaluationScheme:
    try:
        scheme = scheme_list_for_user(user=user).get(pk=scheme_id)
    except EvaluationScheme.DoesNotExist:
        raise Http404 from None
    _role_is(user, role)
    return scheme


def access_examiner(*, user, examiner_id: int, role: str | None = None) -> Examiner:
    try:
        examiner = examiner_list_for_user(user=user).get(pk=examiner_id)
    except Examiner.DoesNotExist:
        raise Http404 from None
    _role_is(user, role)
    return examiner


def access_plan(*, user, plan_id: int, role: str | None = None) -> ImplementationPlan:
    try:
        plan = plan_list_for_user(user=user).get(pk=plan_id)
    except ImplementationPlan.DoesNotExist:
        raise Http404 from None
    _role_is(user, role)
    return plan
