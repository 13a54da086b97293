"""Login lockout with django-axes: per username *and* client address (settings: AXES_*).

Failures are counted for the pair (username, address), never for one alone: an attacker
guessing a user's password from one address locks only that pair, and the colleague behind the
same proxy still logs in; one client behind a shared proxy cannot lock out everybody else.
Wrong second-factor codes count as failures of the same pair (portal.core.login_views).

The address is the one the rate limits use (portal.core.ratelimit.client_address): REMOTE_ADDR,
or behind TRUSTED_PROXY_COUNT reverse proxies the address the nearest of them saw, so a client
sending X-Forwarded-For itself does not choose the pair it is counted under.
"""

import ipaddress

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from portal.core.ratelimit import client_address


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
