"""In-app notifications: a message on a user's desk, written in the same transaction as the event
that caused it."""

from supervision.models import Notification


def notify(*, user, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(user=user, kind=kind, title=title, body=body, url=url)
