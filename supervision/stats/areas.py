"""The drill-down of the statistics: one row per area below the scope (a province's cities, a
city's districts) with its main figures of the year and the link to its own statistics.

A handful of grouped queries for all the rows together, never a query per area.
"""

import datetime as dt

from django.db.models import Count, QuerySet
from django.urls import reverse

from assessments.models import BatchStatus, RosterEntry
from certificates.models import Certificate
from filings.models import Enterprise, Filing, FilingStatus
from portal.core.models import Bureau
from supervision.draws.algorithm import filed_enterprises_in
from supervision.models import Inspection
from supervision.stats.builders import UNDER_REVIEW, StatsScope


def _grouped(queryset: QuerySet, key: str) -> dict[int, int]:
    """{area id: number of rows} for the rows of `queryset` grouped by `key`."""
    return dict(queryset.order_by().values_list(key).annotate(n=Count("pk", distinct=True)))


def area_url(bureau: Bureau, year: int) -> str:
    return f"{reverse('stats_dashboard')}?area={bureau.pk}&year={year}"


def sub_area_rows(*, scope: StatsScope, year: int, today: dt.date) -> list[dict]:
    """One row per city of a province or district of a city (none for a district)."""
    if scope.role == "district":
        return []
    areas = list(Bureau.objects.filter(parent_id=scope.bureau.pk).order_by("code", "pk"))
    if not areas:
        return []
    # From a district, the area below the scope: the district itself or its city.
    hop = "district__parent_id" if scope.is_province else "district_id"
    on = min(today, dt.date(year, 12, 31))
    filed = Enterprise.objects.filter(pk__in=filed_enterprises_in(scope.bureau, today=on))
    figures = {
        "filed": _grouped(filed, hop),
        "submitted": _grouped(
            Filing.objects.filter(scope.q(""), submitted_at__year=year).exclude(
                status=FilingStatus.DRAFT
            ),
            hop,
        ),
        "under_review": _grouped(Filing.objects.filter(scope.q(""), status__in=UNDER_REVIEW), hop),
        "examinees": _grouped(
            RosterEntry.objects.filter(
                scope.q("plan__enterprise__"),
                plan__result_batch__status=BatchStatus.APPROVED,
                plan__result_batch__approved_on__year=year,
            ),
            f"plan__enterprise__{hop}",
        ),
        "certificates": _grouped(
            Certificate.objects.filter(scope.q(), issued_on__year=year), f"enterprise__{hop}"
        ),
        "inspections": _grouped(
            Inspection.objects.filter(scope.q(), draw__year=year), f"enterprise__{hop}"
        ),
    }
    rows = []
    for area in areas:
        row = {key: counts.get(area.pk, 0) for key, counts in figures.items()}
        rows.append({"area": area, "url": area_url(area, year), **row})
    return rows


def trail(*, own: Bureau, scope: StatsScope, year: int) -> list[dict]:
    """The way down from the user's own bureau to the scope (province → city → district), each
    step with its link; empty while the scope is the user's own bureau."""
    chain = scope.bureau.chain()
    ids = [bureau.pk for bureau in chain]
    if own.pk not in ids or own.pk == scope.bureau.pk:
        return []
    steps = chain[ids.index(own.pk) :]
    return [
        {"area": bureau, "url": reverse("stats_dashboard") + f"?year={year}"}
        if bureau.pk == own.pk
        else {"area": bureau, "url": area_url(bureau, year)}
        for bureau in steps
    ]
