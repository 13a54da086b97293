"""Access gate of a notification: the user's own; a missing one and another user's are the same
404."""

from collections.abc import Collection

from portal.core.access import get_in_scope
from portal.core.models import Role
from supervision.models import Notification
from supervision.notifications.selectors import notification_list_for_user


def access_notification(
    *, user, notification_id: int, roles: Collection[Role] | None = None
) -> Notification:
    return get_in_scope(
        notification_list_for_user(user=user), notification_id, user=user, roles=roles
    )
