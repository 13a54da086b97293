"""Issue batches, scoped like the certificates they hold (certificates.records.selectors)."""

from django.db.models import QuerySet

from certificates.models import IssueBatch
from portal.core.roles import enterprise_scope


def issue_batch_list_for_user(*, user) -> QuerySet[IssueBatch]:
    scope = enterprise_scope(user)
    batches = IssueBatch.objects.select_related(
        "enterprise", "job", "result_batch__plan__scheme__scope_line__occupation"
    )
    return batches.none() if scope is None else batches.filter(scope)
