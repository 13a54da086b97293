"""In-app notifications: a message on a user's desk, written in the same transaction as the event
that caused it; the inbox marks them read, always for their owner only."""

from django.utils import timezone

from supervision.models import Notification


def notify(*, user, kind: str, title: str, body: str = "", url: str = "") -> Notification:
    return Notification.objects.create(user=user, kind=kind, title=title, body=body, url=url)


def notification_mark_read(*, notification: Notification) -> None:
    # Conditional: a second open (another tab) keeps the first reading time.
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_read_all(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
