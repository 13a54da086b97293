"""What waits for each role in the assessment stage, for the dashboard: each area says its part
in its desk module."""

from assessments.agreements.desk import agreement_todo
from assessments.plans.desk import plan_todo_for_user
from assessments.results.desk import result_batch_todo_for_user
from assessments.schemes.desk import scheme_todo_for_user
from portal.core.roles import membership_of


def assessment_todo_for_user(*, user) -> dict:
    """Lists of schemes, plans and result batches waiting for this user's action."""
    membership = membership_of(user)
    if membership is None:
        return {}
    todo = {
        "schemes": scheme_todo_for_user(user=user, membership=membership),
        "plans": plan_todo_for_user(user=user, membership=membership),
        "batches": result_batch_todo_for_user(user=user, membership=membership),
        "agreements": agreement_todo(user=user, membership=membership),
    }
    return {key: items for key, items in todo.items() if items is not None}
