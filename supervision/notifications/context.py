"""Context processor: the unread-notification count for the navigation badge (one COUNT query,
only for logged-in users)."""

from django.http import HttpRequest

from supervision.notifications.selectors import unread_count


def unread_notifications(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user=user)}
