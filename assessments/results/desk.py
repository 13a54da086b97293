"""What the result area contributes to the desks."""

from django.db.models import F

from assessments.models import BatchStatus
from assessments.results.selectors import result_batch_list_for_user
from portal.core.models import Role

LIMIT = 20


def result_batch_todo_for_user(*, user, membership) -> list | None:
    """Result batches waiting for this user's action; None where the role has no such list."""
    batches = result_batch_list_for_user(user=user)
    if membership.role == Role.ENTERPRISE:
        waiting = batches.filter(status__in=[BatchStatus.PUBLICISED, BatchStatus.RETURNED])
        return list(waiting.order_by("filing_due_on")[:LIMIT])
    if membership.role == Role.CITY:
        waiting = batches.filter(status=BatchStatus.SUBMITTED)
        return list(waiting.order_by("submitted_on")[:LIMIT])
    if membership.role == Role.PROVINCE:
        # Seed 004 §三(三): batches the cities approved, waiting for the provincial review.
        waiting = batches.filter(status=BatchStatus.PROVINCE_REVIEW)
        return list(waiting.order_by(F("province_due_on").asc(nulls_last=True), "pk")[:LIMIT])
    return None
