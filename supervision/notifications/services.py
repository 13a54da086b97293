"""In-app notifications: a message on a user's desk, written in the same transaction as the event
that caused it; the inbox reads and marks them, always for their owner only."""

from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from supervision.models import Notification


def notify(*, user, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(user=user, kind=kind, title=title, body=body, url=url)


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    """The user's own notifications, unread first, newest first."""
    return Notification.objects.filter(user=user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-pk"
    )


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def access_notification(*, user, notification_id: int) -> Notification:
    """The user's notification; 404 alike for a missing one and another user's."""
    notification = Notification.objects.filter(pk=notification_id, user=user).first()
    if notification is None:
        raise Http404
    return notification


def notification_mark_read(*, notification: Notification) -> None:
    # Conditional: a second open (another tab) keeps the first reading time.
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_read_all(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def safe_local_url(url: str) -> str | None:
    """`url` if it is a path on this site; None for anything a redirect could take elsewhere
    ("//host", "/\\host", "https://…", "javascript:…")."""
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return None
    # With no host allowed, only a URL without scheme and host passes.
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=set()):
        return None
    return url
