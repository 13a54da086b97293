"""Per-client rate limits for public endpoints, counted in the cache (Redis in production).

The client is REMOTE_ADDR; behind N trusted reverse proxies (TRUSTED_PROXY_COUNT=N) it is the
address the nearest proxy saw, taken from the right-hand end of X-Forwarded-For, so a client
cannot pick its own address by sending the header itself. Fixed windows: at most `limit`
requests per `window` seconds per (scope, client).
"""

import functools
import logging
import os
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rate:
    limit: int
    window: int  # seconds

    @classmethod
    @functools.lru_cache(maxsize=16)
    def parse(cls, text: str) -> "Rate":
        """'30/60' → 30 requests per 60 seconds; '0/60' switches the limit off."""
        limit, _, window = text.partition("/")
        return cls(int(limit), int(window or 60))


def client_address(request: HttpRequest) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


@functools.lru_cache(maxsize=8)
def _redis_client(backend: RedisCache):
    # Django builds a new client object per call, which costs as much as the INCR itself.
    return backend._cache.get_client(write=True)


# INCR the window's counter (setting its expiry on the first hit) and GET the fetched key: one
# command, one reply, and no window can be left without an expiry.
_COUNT_AND_GET = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local value = false
if KEYS[2] then value = redis.call('GET', KEYS[2]) end
return {count, value}
"""


_local = threading.local()


def _call_count_script(backend: RedisCache, keys: list[str], timeout: int):
    """EVALSHA on a connection of this thread's own, past redis-py's client and pool layers:
    they cost as much CPU as the rest of the API's own work (make bench, verify_rps)."""
    held = getattr(_local, "connection", None)
    if held is None or held[0] != os.getpid() or held[1] is not backend:
        client = _redis_client(backend)
        sha = client.script_load(_COUNT_AND_GET)
        connection = client.connection_pool.make_connection()
        held = _local.connection = (os.getpid(), backend, connection, sha)
    _pid, _backend, connection, sha = held
    try:
        connection.send_command("EVALSHA", sha, len(keys), *keys, timeout)
        return connection.read_response()
    except Exception:
        # A lost or confused connection (or a Redis restarted without the script): start over
        # on the next call; this one is let through by hit_and_get.
        connection.disconnect()
        _local.connection = None
        raise


def _count_and_get(key: str, timeout: int, fetch: str | None) -> tuple[int, bytes | None]:
    """Add one to the window's counter and read `fetch` (raw bytes), in one round trip on Redis.

    The public verification API is counted on every request and must stay nearly as cheap as a
    trivial view: one script call (INCR, GET of the cached answer), no Django serialisation.
    """
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        keys = [backend.make_key(key)]
        if fetch is not None:
            keys.append(backend.make_key(fetch))
        count, value = _call_count_script(backend, keys, timeout)
        return count, value or None
    if backend.add(key, 1, timeout=timeout):
        count = 1
    else:
        try:
            count = backend.incr(key)
        except ValueError:  # expired between add and incr
            backend.add(key, 1, timeout=timeout)
            count = 1
    return count, backend.get(fetch) if fetch is not None else None


def _get_raw(key: str) -> bytes | None:
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        return _redis_client(backend).get(backend.make_key(key))
    return backend.get(key)


def store(key: str, value: bytes, timeout: int) -> None:
    """Keep raw bytes for `fetch` of a later hit(); a cache fault only costs the next lookup."""
    backend = caches["default"]
    try:
        if isinstance(backend, RedisCache):
            _redis_client(backend).set(backend.make_key(key), value, ex=timeout)
        else:
            backend.set(key, value, timeout=timeout)
    except Exception:  # the cache is an optimisation: never fail the answer for it
        logger.warning("could not cache %s", key, exc_info=True)


def forget(*keys: str) -> None:
    backend = caches["default"]
    try:
        if isinstance(backend, RedisCache):
            _redis_client(backend).delete(*(backend.make_key(k) for k in keys))
        else:
            backend.delete_many(keys)
    except Exception:
        logger.warning("could not drop %s from the cache", keys, exc_info=True)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int


def hit(request: HttpRequest, scope: str, rate: Rate) -> Verdict:
    """Count one request; refused when the client passed the limit in the current window."""
    return hit_and_get(request, scope, rate)[0]


def hit_and_get(
    request: HttpRequest, scope: str, rate: Rate, fetch: str | None = None
) -> tuple[Verdict, bytes | None]:
    """hit(), and the raw bytes stored under `fetch` (None when absent), in one round trip.

    A cache that is down or hanging does not take the public pages with it: the request is let
    through uncounted (and logged), as a rate limit is a guard, not a service.
    """
    now = int(time.time())
    window_start = now - now % rate.window
    key = f"ratelimit:{scope}:{client_address(request)}:{window_start}"
    try:
        if rate.limit <= 0:
            return Verdict(True, 0), _get_raw(fetch) if fetch is not None else None
        count, value = _count_and_get(key, rate.window + 1, fetch)
    except Exception:
        logger.warning("rate limit not counted: the cache is unavailable", exc_info=True)
        return Verdict(True, 0), None
    if count > rate.limit:
        return Verdict(False, window_start + rate.window - now), value
    return Verdict(True, 0), value


# Limits per subject (a certificate number, an e-mail address), whatever client sends them ----
#
# A guesser with many addresses gets each address's limit anew; what it guesses at does not
# change. These count events per subject in a window that starts at the subject's first event,
# so a subject that used up its limit stays refused for the rest of that window (no second
# allowance at a window boundary). The subject is kept in the cache only as a keyed hash.


def _subject_keys(scope: str, subject: str) -> tuple[str, str]:
    digest = salted_hmac("portal.ratelimit-subject", f"{scope}\n{subject}").hexdigest()[:32]
    return f"ratelimit:{scope}:s:{digest}:count", f"ratelimit:{scope}:s:{digest}:since"


def subject_count(scope: str, subject: str, rate: Rate) -> Verdict:
    """Count one event for `subject`; the verdict says whether it was within the limit."""
    if rate.limit <= 0:
        return Verdict(True, 0)
    count_key, since_key = _subject_keys(scope, subject)
    backend = caches["default"]
    now = int(time.time())
    try:
        backend.add(since_key, now, timeout=rate.window)
        count = 1 if backend.add(count_key, 1, timeout=rate.window) else backend.incr(count_key)
        since = backend.get(since_key)
    except ValueError:  # the window ended between add and incr: this event opens a new one
        backend.set(since_key, now, timeout=rate.window)
        backend.set(count_key, 1, timeout=rate.window)
        count, since = 1, now
    except Exception:
        logger.warning("limit not counted: the cache is unavailable", exc_info=True)
        return Verdict(True, 0)
    if count <= rate.limit:
        return Verdict(True, 0)
    return Verdict(False, max(1, (since or now) + rate.window - now))


def subject_reset(scope: str, subject: str) -> None:
    forget(*_subject_keys(scope, subject))
