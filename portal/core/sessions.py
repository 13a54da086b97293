"""Sessions end when they should: after SESSION_IDLE_SECONDS without a request, and at once
for a user who was disabled, deleted or changed the password elsewhere.

Django's own checks already make such a user anonymous on the next request: ModelBackend
refuses a user with is_active=False, and a session whose password hash no longer matches is
flushed (so a password change ends every other session; the changing one is kept by
update_session_auth_hash). What is left is done here: the session row of a user who is no
longer accepted is deleted, and an idle session is logged out with a message on the login page.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils.translation import gettext as _

# Unix time of the session's last request, kept to the minute: a session is written at most
# once a minute for it, not on every request.
LAST_SEEN_KEY = "_last_seen"
LAST_SEEN_GRANULARITY = 60


class SessionGuardMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        # No session cookie, nothing to guard: the public pages and the API stay untouched.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            response = self._guard(request)
            if response is not None:
                return response
        return self.get_response(request)

    def _guard(self, request):
        session = request.session
        if SESSION_KEY not in session:
            return None
        if not request.user.is_authenticated:
            # Disabled or deleted since the last request: the row goes now, not at expiry.
            session.flush()
            return None
        now = int(time.time())
        last_seen = session.get(LAST_SEEN_KEY)
        if last_seen is not None and now - last_seen > settings.SESSION_IDLE_SECONDS:
            logout(request)
            messages.warning(
                request,
                _(
                    "You were logged out after %(minutes)s minutes without activity. "
                    "Please log in again."
                )
                % {"minutes": max(1, settings.SESSION_IDLE_SECONDS // 60)},
            )
            return redirect_to_login(request.get_full_path())
        if last_seen is None or now - last_seen >= LAST_SEEN_GRANULARITY:
            session[LAST_SEEN_KEY] = now
        return None


@receiver(user_logged_in)
def _start_idle_clock(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_SEEN_KEY] = int(time.time())
