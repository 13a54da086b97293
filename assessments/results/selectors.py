"""Reads of result batches (STYLE.md rule 3)."""

from django.db.models import QuerySet

from assessments.models import BatchStatus, ResultBatch
from portal.core.models import Role
from portal.core.roles import member_area_q, membership_of


def result_batch_list_for_user(*, user) -> QuerySet[ResultBatch]:
    """enterprise → its own; district → its district's; city → its city's; province → its
    cities'. Bureaus do not see a batch before it is publicised."""
    batches = ResultBatch.objects.select_related(
        "plan__enterprise__district",
        "plan__scheme__scope_line__occupation",
        "plan__scheme__scope_line__work_type",
    )
    membership = membership_of(user)
    if membership is None:
        return batches.none()
    if membership.role == Role.ENTERPRISE:
        return batches.filter(plan__enterprise_id=membership.enterprise_id)
    scope = member_area_q(membership, "plan__enterprise__district")
    if scope is None:
        return batches.none()
    return batches.filter(scope).exclude(status=BatchStatus.DRAFT)
