"""Reminder tasks: thin wrappers of supervision.reminders.delivery (each is safe to run twice).

Beat runs scan_reminders every REMINDER_SCAN_SECONDS; what is due later is found by a later scan,
never by a countdown that would outlive the broker's visibility timeout. Sends go through the
outbox (portal.core.dispatch).
"""

from celery import shared_task
from django.utils import timezone

from portal.core.dispatch import enqueue_on_commit
from supervision.flags import cache as flag_cache
from supervision.reminders import delivery as reminders

SEND_BATCH = 200


@shared_task
def scan_reminders() -> int:
    created = reminders.reminders_scan(today=timezone.localdate())
    # Also when nothing is new: failed e-mails and stale claims wait for a retry.
    enqueue_on_commit(send_reminders)
    return created


@shared_task(acks_late=True)
def send_reminders() -> int:
    sent = reminders.reminders_send(limit=SEND_BATCH)
    if sent == SEND_BATCH:
        # More may wait: go on now rather than at the next scan.
        enqueue_on_commit(send_reminders)
    return sent


@shared_task
def refresh_flags() -> int:
    """Beat: the current year's flags of every district and city (supervision.flags.cache)."""
    return flag_cache.refresh(today=timezone.localdate())
