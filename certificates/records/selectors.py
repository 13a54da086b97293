"""Reads of certificates, scoped like everything else (STYLE.md rule 3): enterprise → its own,
district → its district's enterprises, city → its city's. Nobody else sees a list."""

from django.db.models import Q, QuerySet, Subquery

from certificates.models import Certificate
from portal.core.roles import enterprise_scope


def certificate_list_for_user(*, user) -> QuerySet[Certificate]:
    scope = enterprise_scope(user)
    certificates = Certificate.objects.select_related("enterprise", "replaces")
    return certificates.none() if scope is None else certificates.filter(scope)


def issue_years(certificates: QuerySet[Certificate]) -> list[int]:
    """The years to filter a certificate list by, newest first: from the year of the first
    certificate to that of the last (a year without any is listed too). One query that reads
    both ends of the issue-date index; grouping every certificate of a city by year took most
    of a second."""
    first = certificates.order_by("issued_on").values("pk")[:1]
    last = certificates.order_by("-issued_on").values("pk")[:1]
    days = (
        Certificate.objects.filter(Q(pk=Subquery(first)) | Q(pk=Subquery(last)))
        .order_by()
        .values_list("issued_on", flat=True)
    )
    years = {day.year for day in days}
    return list(range(max(years), min(years) - 1, -1)) if years else []
