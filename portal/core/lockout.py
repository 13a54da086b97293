"""Login lockout with django-axes: per username *and* client address (settings: AXES_*).

Failures are counted for the pair (username, address), never for one alone: an attacker
guessing a user's password from one address locks only that pair, and the colleague behind the
same proxy still logs in; one client behind a shared proxy cannot lock out everybody else.
Wrong second-factor codes count as failures of the same pair (portal.core.login_views).

The address is the one the rate limits use (portal.core.ratelimit.client_address): REMOTE_ADDR,
or behind TRUSTED_PROXY_COUNT reverse proxies the address the nearest of them saw, so a client
sending X-Forwarded-For itself does not choose the pair it is counted under.

The guesses at one user name are also counted over every address ("Across addresses" below),
so that many addresses do not buy many guesses.
"""

import datetime as dt
import hashlib
import ipaddress
import logging
from dataclasses import dataclass

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.core.mail import send_mail
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.models import Membership, Role
from portal.core.ratelimit import client_address

logger = logging.getLogger(__name__)


def client_ip(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the proxy-safe client address (None when there is none)."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        # A proxy that forwarded something that is no address: count the connection's peer.
        fallback = request.META.get("REMOTE_ADDR", "")
        try:
            return str(ipaddress.ip_address(fallback))
        except ValueError:
            return None


def is_locked_out(request: HttpRequest, username: str) -> bool:
    return not AxesProxyHandler.is_allowed(request, {"username": username})


def record_failure(request: HttpRequest, username: str) -> bool:
    """Count one failed attempt of `username` from this client; True when the pair is now
    locked out (AxesMiddleware then answers with lockout_response)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(
    request: HttpRequest, original_response=None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a page saying the login is locked and from when to try again.

    Every attempt during the lockout starts the cool-off again (axes' default), so the time is
    counted from now."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60))
    retry_at = timezone.localtime(timezone.now() + cool_off)
    response = render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes, "retry_at": retry_at},
        status=429,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


# Across addresses -----------------------------------------------------------------------------
#
# The pair lock above gives a guesser with many addresses AXES_FAILURE_LIMIT guesses per address.
# So the guesses at one user name are also counted over every address: past
# LOGIN_USERNAME_FAILURE_LIMIT within the cool-off, the user name is locked for every address it
# has not logged in from in the last LOGIN_KNOWN_ADDRESS_DAYS, and the administrators are told.
#
# The trade-off: an attacker who keeps sending that many guesses from enough addresses keeps the
# user name locked, but only on addresses the user never logged in from; from a known address
# (the office, home) the user still logs in, and the administrators hear of the attack. The lock
# ends by itself: attempts refused by it are no guesses, so they neither count nor extend it.
# Only real guesses count: per address at most AXES_FAILURE_LIMIT, the attempts after the pair
# lock are refused unchecked, so one address cannot lock a user name for everyone.

ALERT_LOCK_PREFIX = "login-alert:"


@dataclass(frozen=True)
class Guesses:
    count: int  # wrong passwords or codes, at most AXES_FAILURE_LIMIT per address
    addresses: list[str]
    last_at: dt.datetime | None


# axes' username column; a longer name, or one holding NUL (which PostgreSQL refuses in a query),
# was never stored, so it has no guesses to look up.
STORED_USERNAME_LENGTH = AccessAttempt._meta.get_field("username").max_length


def guesses_at(username: str) -> Guesses:
    """The guesses at `username` within the cool-off, from every address."""
    if len(username) > STORED_USERNAME_LENGTH or "\x00" in username:
        return Guesses(count=0, addresses=[], last_at=None)
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(username=username, attempt_time__gte=since)
        .values("ip_address")
        .annotate(failures=Sum("failures_since_start"), last_at=Max("attempt_time"))
        .order_by("ip_address")
    )
    per_address = settings.AXES_FAILURE_LIMIT
    return Guesses(
        count=sum(min(row["failures"], per_address) for row in rows),
        addresses=[row["ip_address"] or "?" for row in rows],
        last_at=max((row["last_at"] for row in rows), default=None),
    )


def _known_address(request: HttpRequest, username: str) -> bool:
    address = client_ip(request)
    since = timezone.now() - dt.timedelta(days=settings.LOGIN_KNOWN_ADDRESS_DAYS)
    return (
        address is not None
        and AccessLog.objects.filter(
            username=username, ip_address=address, attempt_time__gte=since
        ).exists()
    )


def username_locked_until(request: HttpRequest, username: str) -> dt.datetime | None:
    """When the lock of `username` across addresses ends for this client, or None when this
    client may try."""
    if not username:
        return None
    guesses = guesses_at(username)
    if guesses.count < settings.LOGIN_USERNAME_FAILURE_LIMIT:
        return None
    if _known_address(request, username):
        return None
    # At the latest: when the last guess leaves the cool-off.
    return guesses.last_at + settings.AXES_COOLOFF_TIME


def username_lockout_response(
    request: HttpRequest, until: dt.datetime, *, username: str
) -> HttpResponse:
    from portal.core.audit import audit_record
    from portal.core.models import AuditOutcome

    audit_record(
        obj=None,
        actor=None,
        action="login_locked",
        note=username[:150],
        outcome=AuditOutcome.REFUSED,
        address=client_ip(request),
    )
    wait = max(1, int((until - timezone.now()).total_seconds()))
    response = render(
        request,
        "registration/locked_out.html",
        {
            "across_addresses": True,
            "minutes": max(1, round(wait / 60)),
            "retry_at": timezone.localtime(until),
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def first_alert_due(username: str) -> bool:
    """True once per cool-off, when the guesses at `username` reach the limit."""
    if guesses_at(username).count < settings.LOGIN_USERNAME_FAILURE_LIMIT:
        return False
    cool_off = int(settings.AXES_COOLOFF_TIME.total_seconds())
    try:
        return cache.add(ALERT_LOCK_PREFIX + _cache_safe(username), 1, timeout=cool_off)
    except Exception:  # a cache fault: better two alerts than none
        logger.warning("login alert not deduplicated: the cache is unavailable", exc_info=True)
        return True


def _cache_safe(username: str) -> str:
    # Memcached-safe key whatever the user typed.
    return hashlib.sha256(username.encode()).hexdigest()


def alert_recipients(username: str) -> list[str]:
    """The portal's ADMINS and the administrators of the user's city; of every city when the
    user name is nobody's (or no city's)."""
    admins = Membership.objects.filter(role=Role.CITY, is_admin=True, user__is_active=True)
    member = (
        Membership.objects.filter(user__username=username)
        .select_related("bureau__parent", "enterprise__district__parent")
        .first()
    )
    city = member.city if member else None
    if city is not None:
        admins = admins.filter(bureau=city)
    addresses = [email for _name, email in settings.ADMINS]
    addresses += admins.exclude(user__email="").values_list("user__email", flat=True)
    return sorted(set(addresses))


def send_login_alert(username: str) -> int:
    """The e-mail to the administrators about the guesses at `username`; how many it went to."""
    recipients = alert_recipients(username)
    if not recipients:
        logger.error("login alert for %r: no administrator has an e-mail address", username)
        return 0
    guesses = guesses_at(username)
    until = guesses.last_at + settings.AXES_COOLOFF_TIME if guesses.last_at else timezone.now()
    context = {
        "username": username,
        "count": guesses.count,
        "addresses": guesses.addresses,
        "minutes": round(settings.AXES_COOLOFF_TIME.total_seconds() / 60),
        "until": timezone.localtime(until),
        "known_days": settings.LOGIN_KNOWN_ADDRESS_DAYS,
    }
    subject = _("Login alert: many failed logins for user name %(username)s") % {
        "username": username
    }
    body = render_to_string("emails/login_alert.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    return len(recipients)
