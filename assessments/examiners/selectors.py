"""Reads of examiners and supervisors, scoped like filings (STYLE.md rule 3)."""

from django.db.models import QuerySet

from assessments.models import Examiner
from portal.core.roles import enterprise_scope


def examiner_list_for_user(*, user) -> QuerySet[Examiner]:
    scope = enterprise_scope(user)
    if scope is None:
        return Examiner.objects.none()
    return Examiner.objects.filter(scope).select_related("enterprise")
