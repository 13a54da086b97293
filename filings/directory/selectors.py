"""R-M5: what the public directory lists."""

import datetime as dt

from django.db.models import QuerySet

from filings.models import Filing, FilingStatus


def directory_filings(*, today: dt.date) -> QuerySet[Filing]:
    """R-M5: the public directory, approved filings still valid."""
    return (
        Filing.objects.filter(status=FilingStatus.APPROVED, valid_until__gte=today)
        .select_related("enterprise", "enterprise__district")
        .order_by("enterprise__name", "pk")
    )
