"""R-M1 at scale: the flags of a scope that is slow to search are kept and refreshed by beat;
a quick scope is searched on every view. What a reviewer sees: the same flags, and when they
were found if they are not live."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import translation

from supervision import tasks
from supervision.flags import cache as flag_cache
from supervision.stats.builders import StatsScope
from tests.supervision.stats.helpers import TODAY, YEAR, plan_with_results, today_is

URL = reverse("stats_dashboard")
DESK = reverse("dashboard")


@pytest.fixture
def slow(settings):
    """Every search counts as slow: the flags of every scope are kept."""
    settings.FLAGS_SLOW_MS = 0
    settings.FLAGS_CACHE_SECONDS = 900


@pytest.fixture
def quick(settings):
    settings.FLAGS_SLOW_MS = 60_000
    settings.FLAGS_CACHE_SECONDS = 900


def _flag_rows(client) -> int:
    with today_is():
        html = client.get(URL).content.decode()
    return html.count('class="flag-pass_all"')


def test_r_m1_a_quick_scope_shows_a_new_flag_at_once(quick, client, ent_a, carl):
    client.force_login(carl)
    assert _flag_rows(client) == 0
    plan_with_results(ent_a, [(4, "passed")] * 10)
    assert _flag_rows(client) == 1
    with today_is():
        html = client.get(URL).content.decode()
    assert 'id="stats-flags-found-at"' not in html


def test_r_m1_a_slow_scope_shows_the_kept_flags_with_their_time_until_the_refresh(
    slow, client, ent_a, carl
):
    client.force_login(carl)
    plan_with_results(ent_a, [(4, "passed")] * 10)
    assert _flag_rows(client) == 1  # searched now, and kept
    plan_with_results(ent_a, [(4, "passed")] * 12)
    with today_is():
        html = client.get(URL).content.decode()
    # The kept answer, saying when it was found and how often it is searched again.
    assert html.count('class="flag-pass_all"') == 1
    assert 'id="stats-flags-found-at"' in html
    assert "每 10 分钟" in html
    with today_is():
        kept = tasks.refresh_flags.apply().get()
    assert kept >= 2  # the city and its districts, in each language
    assert _flag_rows(client) == 2


def _desk_flag_count(client) -> str:
    with today_is():
        html = client.get(DESK).content.decode()
    link = html.index(reverse("stats_dashboard") + f"?year={YEAR}#stats-flags")
    return html[html.index("<b>", link) + 3 : html.index("</b>", link)]


def test_r_m1_the_desk_counts_the_kept_flags(slow, client, ent_a, carl):
    client.force_login(carl)
    plan_with_results(ent_a, [(4, "passed")] * 10)
    assert _desk_flag_count(client) == "1"
    plan_with_results(ent_a, [(4, "passed")] * 12)
    assert _desk_flag_count(client) == "1"  # kept
    with today_is():
        tasks.refresh_flags.apply().get()
    assert _desk_flag_count(client) == "2"


def test_r_m1_kept_flags_are_per_scope_and_language(slow, world, ent_a, ent_b):
    plan_with_results(ent_a, [(4, "passed")] * 10)
    city = StatsScope(role="city", bureau=world["city"], city=world["city"])
    nanshan = StatsScope(role="district", bureau=world["nanshan"], city=world["city"])
    futian = StatsScope(role="district", bureau=world["futian"], city=world["city"])
    with today_is():
        tasks.refresh_flags.apply().get()
    with translation.override("zh-hans"):
        chinese = flag_cache.flags_for(scope=city, year=YEAR)
        assert chinese.cached and len(chinese) == 1
        assert len(flag_cache.flags_for(scope=nanshan, year=YEAR)) == 1
        assert len(flag_cache.flags_for(scope=futian, year=YEAR)) == 0
    with translation.override("en"):
        english = flag_cache.flags_for(scope=city, year=YEAR)
    assert english.cached
    assert english.flags[0].message != chinese.flags[0].message
    assert "passed" in english.flags[0].message


def test_r_m1_a_scope_quick_again_is_searched_live_after_the_refresh(settings, world, ent_a):
    settings.FLAGS_SLOW_MS = 0
    city = StatsScope(role="city", bureau=world["city"], city=world["city"])
    with today_is():
        tasks.refresh_flags.apply().get()
    assert flag_cache.flags_for(scope=city, year=YEAR).cached
    settings.FLAGS_SLOW_MS = 60_000
    with today_is():
        assert tasks.refresh_flags.apply().get() == 0
    plan_with_results(ent_a, [(4, "passed")] * 10)
    found = flag_cache.flags_for(scope=city, year=YEAR)
    assert not found.cached and len(found) == 1


def test_r_m1_no_flags_are_kept_when_the_cache_time_is_zero(settings, world, ent_a):
    settings.FLAGS_SLOW_MS = 0
    settings.FLAGS_CACHE_SECONDS = 0
    city = StatsScope(role="city", bureau=world["city"], city=world["city"])
    assert not flag_cache.flags_for(scope=city, year=YEAR).cached
    plan_with_results(ent_a, [(4, "passed")] * 10)
    assert len(flag_cache.flags_for(scope=city, year=YEAR)) == 1


def test_beat_refreshes_the_flags_before_they_expire():
    entry = django_settings.CELERY_BEAT_SCHEDULE["refresh-flags"]
    assert entry["task"] == tasks.refresh_flags.name
    assert entry["schedule"] < django_settings.FLAGS_CACHE_SECONDS
    assert TODAY.year == YEAR


def test_r_m1_with_the_cache_down_the_flags_are_searched(slow, client, ent_a, carl, monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    for operation in ("get", "set", "delete"):
        monkeypatch.setattr(cache, operation, down)
    client.force_login(carl)
    plan_with_results(ent_a, [(4, "passed")] * 10)
    assert _flag_rows(client) == 1
    assert _desk_flag_count(client) == "1"
    with today_is():
        assert tasks.refresh_flags.apply().get() >= 1
