import logging

from django.contrib.auth.signals import user_login_failed
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from portal.core import lockout, tasks, workdays
from portal.core.models import CalendarDay, CalendarYear
from portal.core.outbox import enqueue

logger = logging.getLogger(__name__)

# Sent once per committed transaction that changed the working-day calendar, so that stored
# deadlines can be counted again.
calendar_changed = Signal()


def _send_calendar_changed() -> None:
    workdays.clear_cache()
    calendar_changed.send(sender=CalendarDay)


@receiver([post_save, post_delete], sender=CalendarDay)
@receiver([post_save, post_delete], sender=CalendarYear)
def _calendar_row_changed(**kwargs) -> None:
    workdays.clear_cache()
    # Once per transaction, however many days an import changes.
    if not any(entry[1] is _send_calendar_changed for entry in connection.run_on_commit):
        transaction.on_commit(_send_calendar_changed)


@receiver(user_login_failed, dispatch_uid="portal.core.signals.alert_on_guesses")
def _alert_on_guesses(sender, credentials: dict, request=None, **kwargs) -> None:
    """E-mail the administrators when the guesses at one user name reach the limit across
    addresses (portal.core.lockout). Connected after django-axes' receiver (axes comes first in
    INSTALLED_APPS), so this request's failure is already counted."""
    username = (credentials or {}).get("username")
    if username and lockout.first_alert_due(username):
        logger.warning("login: user name %r reached the failure limit across addresses", username)
        enqueue(tasks.send_login_alert, username)
