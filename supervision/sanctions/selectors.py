"""Sanctions a user may read: those of the enterprises in their scope (STYLE.md rule 3)."""

from django.db.models import QuerySet

from portal.core.roles import enterprise_scope
from supervision.models import Sanction


def sanction_list_for_user(*, user) -> QuerySet[Sanction]:
    scope = enterprise_scope(user)
    if scope is None:
        return Sanction.objects.none()
    return Sanction.objects.filter(scope).select_related(
        "enterprise__district", "filing", "decided_by__membership"
    )
