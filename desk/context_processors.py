"""What every page's frame needs: the navigation of the user and the unread-notification count
for its badge (one COUNT query, only for logged-in users)."""

from django.http import HttpRequest

from desk.navigation import navigation_for
from portal.core.roles import membership_of
from supervision.notifications.selectors import unread_count


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    membership = membership_of(user)
    unread = unread_count(user=user) if user is not None and user.is_authenticated else 0
    return {
        "navigation": navigation_for(
            user=user, membership=membership, path=request.path, unread=unread
        ),
        "unread_notifications": unread,
    }
