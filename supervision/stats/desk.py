"""The statistics line of a district's, a city's or a province's desk: flags and overdue items,
with a link."""

from portal.core.access import AREA_ROLES
from supervision.flags import cache as flag_cache
from supervision.stats import builders as stats


def desk(*, user, membership, today) -> dict:
    if membership is None or membership.role not in AREA_ROLES or membership.bureau is None:
        return {}
    scope = stats.stats_scope_for(user)
    # A bounded number of aggregate queries (about twenty), whatever the number of rows; the
    # flags of a large scope come from the cache (supervision.flags.cache).
    return {
        "stats_flag_count": len(flag_cache.flags_for(scope=scope, year=today.year)),
        "stats_overdue_count": stats.overdue_count(scope=scope, today=today),
        "stats_year": today.year,
    }
