"""What the draw area puts on a reviewer's desk: the year's coverage (R-M1) and the latest draw
not published yet; for the city's staff, and a district's where the city delegates draws to it
(seed 000 §五)."""

from supervision.draws.selectors import coverage_counts, draw_list_for_user, draw_scope


def desk(*, user, membership, today) -> dict:
    scope = draw_scope(user)
    if scope is None:
        return {}
    city, district = scope
    missing, total = coverage_counts(city=city, today=today, district=district)
    unpublished = (
        draw_list_for_user(user=user)
        .filter(published_on__isnull=True)
        .order_by("-drawn_at", "-pk")
        .first()
    )
    return {
        "draw_coverage_missing": missing,
        "draw_coverage_total": total,
        "draw_unpublished": unpublished,
    }
