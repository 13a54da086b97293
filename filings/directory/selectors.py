"""R-M5: what the public directory lists."""

import datetime as dt

from django.db.models import Prefetch, QuerySet

from filings.models import Enterprise, Filing, FilingStatus


def directory_filings(*, today: dt.date) -> QuerySet[Filing]:
    """R-M5: the public directory, approved filings still valid."""
    return (
        Filing.objects.filter(status=FilingStatus.APPROVED, valid_until__gte=today)
        .select_related("enterprise", "enterprise__district")
        .order_by("enterprise__name", "pk")
    )


def directory_enterprises(filings: QuerySet[Filing]) -> QuerySet[Enterprise]:
    """One entry per enterprise with `filings` among its filings, each carrying them, oldest
    first, in `directory_filings` (an enterprise that filed again for more occupations, R-F9,
    is listed once with all of them)."""
    return (
        Enterprise.objects.filter(pk__in=filings.order_by().values("enterprise_id"))
        .select_related("district__parent")
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch(
                "filings",
                queryset=filings.select_related(None).order_by("pk"),
                to_attr="directory_filings",
            )
        )
    )
