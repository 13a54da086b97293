"""The reminder part of the desk: the latest unread notifications and the way to the inbox."""

from supervision.models import Notification

DESK_ROWS = 5


def desk(*, user, membership, today) -> dict:
    unread = list(
        Notification.objects.filter(user=user, read_at__isnull=True).order_by("-created_at", "-pk")[
            : DESK_ROWS + 1
        ]
    )
    return {
        "reminder_unread": unread[:DESK_ROWS],
        "reminder_more": len(unread) > DESK_ROWS,
    }
