"""What the result area contributes to the desks."""

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
    return None
