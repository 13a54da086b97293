"""settings.py names this context processor (TEMPLATES "context_processors"); it lives in
supervision/notifications/context.py. Goes when settings.py names the new path."""

from supervision.notifications.context import unread_notifications

__all__ = ["unread_notifications"]
