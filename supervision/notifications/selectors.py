"""The user's own notifications: nobody reads another's."""

from django.db.models import F, QuerySet

from supervision.models import Notification


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    """The user's own notifications, unread first, newest first."""
    return Notification.objects.filter(user=user).order_by(
        F("read_at").asc(nulls_first=True), "-created_at", "-pk"
    )


def unread_count(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
