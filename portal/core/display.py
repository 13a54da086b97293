"""The large-text mode (大字模式) for older and low-vision readers: a choice kept in a cookie,
so an anonymous visitor keeps it too and it outlives a session and a logout. The base template
adds the class `large-text` to <html>, which scales every text of the portal's stylesheet."""

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

TEXT_SIZE_COOKIE = "portal_text_size"
LARGE = "large"
KEPT_FOR_SECONDS = 5 * 365 * 24 * 3600  # across sessions, until the reader switches it off


def large_text(request: HttpRequest) -> bool:
    return request.COOKIES.get(TEXT_SIZE_COOKIE) == LARGE


@require_POST
def text_size(request: HttpRequest) -> HttpResponseRedirect:
    """Switch the large text on (size=large) or off (anything else), then back to the page."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("size") == LARGE:
        response.set_cookie(
            TEXT_SIZE_COOKIE,
            LARGE,
            max_age=KEPT_FOR_SECONDS,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE, samesite="Lax")
    return response
