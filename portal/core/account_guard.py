"""Steps a logged-in user must take before using the portal: a new password (set by someone
else, or too old: portal.core.passwords), then a second factor where policy requires one
(portal.core.two_factor). Until then every page redirects to the step's page; logging out,
switching the language and static files still work.

A session whose user owes nothing remembers it for RECHECK_SECONDS (never past the password's
expiry), so most requests ask the database nothing. What could make a step due meanwhile
cannot reach that session: an administrator setting the password ends it (a new password
hash), and a policy switched on is seen within RECHECK_SECONDS.
"""

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from portal.core import passwords, two_factor

# The pages a user may open while a step is due, besides the step's own page.
ALWAYS_OPEN = frozenset({"logout", "set_language"})
# Unix time until which the session's user owes no step.
CLEAR_UNTIL_KEY = "_account_clear_until"
RECHECK_SECONDS = 300


def due_step(user) -> str | None:
    """The URL name of the page the user must go through first, or None."""
    if passwords.password_change_reason(user) is not None:
        return "password_change"
    if two_factor.two_factor_missing(user):
        return "two_factor_setup"
    return None


def _check(session, user) -> str | None:
    step = due_step(user)
    if step is None:
        clear_until = time.time() + RECHECK_SECONDS
        expires_at = passwords.password_expires_at(user)
        if expires_at is not None:
            clear_until = min(clear_until, expires_at.timestamp())
        session[CLEAR_UNTIL_KEY] = int(clear_until)
    else:
        session.pop(CLEAR_UNTIL_KEY, None)
    return step


class AccountGuardMiddleware:
    """After SessionGuardMiddleware (an idle or disabled session is gone by then)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        # No session cookie, no logged-in user: the public pages and the API stay untouched.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            step = None
            if request.session.get(CLEAR_UNTIL_KEY, 0) <= time.time():
                step = _check(request.session, request.user)
            if step is not None and not self._open_during(step, request):
                return redirect(step)
        return self.get_response(request)

    @staticmethod
    def _open_during(step: str, request) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            name = resolve(request.path_info).url_name
        except Resolver404:
            return True  # a 404 stays a 404
        return name == step or name in ALWAYS_OPEN


@receiver(user_logged_in)
def _check_at_login(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        _check(session, user)
