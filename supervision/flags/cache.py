"""The flags of a large scope, kept for a while instead of found on every view (R-M1 at scale).

Finding the flags reads a whole year of the scope's certificates, plans and result batches: a
few milliseconds for a district of a few dozen enterprises, seconds for a city with a million
certificates (R-P5a groups every valid certificate of the year by person). The desk of every
reviewer and the statistics page show them, so:

- a scope whose flags took less than FLAGS_SLOW_MS to find is searched on every view (always
  current: most districts, the demo, the tests);
- a slower one is kept in the cache for FLAGS_CACHE_SECONDS, per scope, year and language, and
  the page says when it was found; beat's `refresh-flags` finds the current year's flags of
  every district and city every FLAGS_REFRESH_SECONDS, so that no reviewer waits for them.

Flags are leads for an inspection, not decisions: minutes of delay change no outcome. With the
embedded demo's per-process cache the worker's refresh does not reach the web process, which then
keeps its own copy for FLAGS_CACHE_SECONDS.
"""

import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from portal.core.models import Bureau, BureauLevel
from supervision.flags import detection as finders
from supervision.stats.builders import StatsScope, scope_of

KEY_VERSION = 1

logger = logging.getLogger(__name__)


def _cache(operation: str, *args):
    """The cache is an optimisation: with Redis down the flags are searched, never a 500."""
    try:
        return getattr(cache, operation)(*args)
    except Exception:  # the backends raise their client's own errors
        logger.warning("flag cache: %s failed; searching instead", operation, exc_info=True)
        return None


@dataclass
class FoundFlags:
    flags: list
    found_at: dt.datetime
    cached: bool  # True when read from the cache: the page then says when they were found

    def __len__(self) -> int:
        return len(self.flags)

    def __iter__(self):
        return iter(self.flags)


def _key(scope: StatsScope, year: int) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return f"supervision:flags:v{KEY_VERSION}:{scope.role}:{scope.bureau.pk}:{year}:{language}"


def _search(*, scope: StatsScope, year: int) -> tuple[FoundFlags, bool]:
    """Search now and keep the answer if the search was slow; (flags, slow)."""
    started = time.perf_counter()
    flags = finders.flags_for(scope=scope, year=year)
    slow = (time.perf_counter() - started) * 1000 >= settings.FLAGS_SLOW_MS
    found = FoundFlags(flags=flags, found_at=timezone.now(), cached=False)
    if slow and settings.FLAGS_CACHE_SECONDS > 0:
        kept = FoundFlags(flags=flags, found_at=found.found_at, cached=True)
        _cache("set", _key(scope, year), kept, settings.FLAGS_CACHE_SECONDS)
    return found, slow


def flags_for(*, scope: StatsScope, year: int) -> FoundFlags:
    """The scope's flags of the year: from the cache when a slow search left them there."""
    if settings.FLAGS_CACHE_SECONDS > 0:
        kept = _cache("get", _key(scope, year))
        if kept is not None:
            return kept
    return _search(scope=scope, year=year)[0]


def scopes():
    """Every district, city and province, as its staff see it."""
    bureaus = Bureau.objects.filter(
        level__in=[BureauLevel.DISTRICT, BureauLevel.CITY, BureauLevel.PROVINCE]
    )
    for bureau in bureaus.select_related("parent").order_by("level", "pk"):
        yield scope_of(bureau)


def refresh(*, today: dt.date) -> int:
    """Search the current year's flags of every scope in every language, keeping the slow
    ones; returns how many were kept."""
    kept = 0
    for scope in scopes():
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                slow = _search(scope=scope, year=today.year)[1]
                if slow:
                    kept += 1
                else:
                    # Fast again (rows removed, a better plan): its views search it live.
                    _cache("delete", _key(scope, today.year))
    return kept
