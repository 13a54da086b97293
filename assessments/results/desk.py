"""What the result area contributes to the desks."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from assessments.models import BatchStatus
from assessments.results.selectors import result_batch_list_for_user
from portal.core.models import Role

LIMIT = 20
NEXT_STEP = {
    BatchStatus.RETURNED: _("Correct the results as the city asked and file them again"),
    BatchStatus.PUBLICISED: _("File the results with the city once the publicity ends"),
}
WAITING = {
    BatchStatus.SUBMITTED: _("Waiting for the city's review"),
    BatchStatus.PROVINCE_REVIEW: _("Waiting for the province's review"),
}


def _enterprise_work(batches) -> list:
    rows = list(
        batches.filter(status__in=[*NEXT_STEP, *WAITING]).order_by(
            F("filing_due_on").asc(nulls_last=True), "pk"
        )[:LIMIT]
    )
    rows.sort(key=lambda batch: list(NEXT_STEP | WAITING).index(batch.status))
    for batch in rows:
        batch.next_step = NEXT_STEP.get(batch.status, "")
        batch.waiting_for = WAITING.get(batch.status, "")
    return rows


def result_batch_todo_for_user(*, user, membership) -> list | None:
    """Result batches waiting for this user's action; None where the role has no such list."""
    batches = result_batch_list_for_user(user=user)
    if membership.role == Role.ENTERPRISE:
        return _enterprise_work(batches)
    if membership.role == Role.CITY:
        waiting = batches.filter(status=BatchStatus.SUBMITTED)
        return list(waiting.order_by("submitted_on")[:LIMIT])
    if membership.role == Role.PROVINCE:
        # Seed 004 §三(三): batches the cities approved, waiting for the provincial review.
        waiting = batches.filter(status=BatchStatus.PROVINCE_REVIEW)
        return list(waiting.order_by(F("province_due_on").asc(nulls_last=True), "pk")[:LIMIT])
    return None
