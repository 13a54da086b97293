"""What the draw area puts on a city reviewer's desk: the year's coverage (R-M1) and the latest
draw not published yet."""

from portal.core.models import Role
from supervision.draws.selectors import coverage_counts
from supervision.models import Draw


def desk(*, user, membership, today) -> dict:
    if membership is None or membership.role != Role.CITY or membership.bureau_id is None:
        return {}
    missing, total = coverage_counts(city=membership.bureau, today=today)
    unpublished = (
        Draw.objects.filter(city=membership.bureau, published_on__isnull=True)
        .order_by("-drawn_at", "-pk")
        .first()
    )
    return {
        "draw_coverage_missing": missing,
        "draw_coverage_total": total,
        "draw_unpublished": unpublished,
    }
