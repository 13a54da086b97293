"""The transactional outbox: background work is a database row before it is a broker message.

`enqueue()` writes an OutboxMessage in the caller's transaction, so the work commits or rolls back
with the change that calls for it. After the commit it tries once to publish the row. A broker
that is down or hanging costs that one attempt (about CELERY_BROKER_SOCKET_TIMEOUT when Redis
accepts connections and never answers, under a second when nothing listens); for
OUTBOX_RELAY_SECONDS afterwards this process does not try again at commit time, so a request
waits for the broker at most once per window. What was not sent waits in the table for the relay
(`relay()`: beat's relay-outbox, `manage.py relay_outbox`, every worker start), which sends the
due rows, oldest first.

A row is claimed before it is published: a conditional UPDATE (one row) or SELECT … FOR UPDATE
SKIP LOCKED (the relay's batches) moves its `available_at` a lease ahead, so two senders never
take the same row at once. Delivery is at least once: a process that dies between the publish
and marking the row sent leaves it to be sent again when the lease runs out, so every task sent
this way must be safe to run twice (they are: see each tasks module).

A delayed task (`countdown`, seconds to a minute: a part claimed by another worker is looked at
again) is published at commit with its ETA; if that fails, its row waits until it is due and
the relay sends it then.
"""

import contextlib
import datetime as dt
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.core.models import OutboxMessage

logger = logging.getLogger(__name__)

# Longer than any publish attempt can take (socket and connection timeouts, bounded retries):
# a row claimed this long ago by a sender that never reported back is sent again.
LEASE = dt.timedelta(seconds=120)
# Rows the relay claims at a time; a broker fault releases the rest of the batch at once.
RELAY_BATCH = 50
# Sent rows are kept this long for whoever looks into a lost piece of work, then dropped.
KEEP_SENT = dt.timedelta(days=7)
# A row naming a task this version does not have (renamed by a deployment) is looked at again
# this much later, without holding up the rest.
UNKNOWN_TASK_RETRY = dt.timedelta(hours=1)
MAX_ERROR_CHARS = 2000

# Per broker URL: until when (monotonic seconds) publishing at commit time is skipped after a
# fault. The relay ignores it and clears it when it sends again.
_fault_until: dict[str, float] = {}


class _UnknownTask(Exception):
    pass


def enqueue(task, *args, countdown: float | None = None) -> OutboxMessage:
    """Write the task in the current transaction; it is published after the commit.

    Outside a transaction the row is written and published at once. `args` must be JSON (ids).
    """
    due = timezone.now() + dt.timedelta(seconds=countdown or 0)
    message = OutboxMessage.objects.create(task_name=task.name, args=list(args), available_at=due)
    transaction.on_commit(lambda: _send_after_commit(message.pk, due))
    return message


@dataclass(frozen=True)
class RelayOutcome:
    sent: int
    waiting: int  # unsent rows left, due now or later
    error: str  # the broker's error that stopped this run, or ""


def relay(*, limit: int = 1000) -> RelayOutcome:
    """Publish the due rows, oldest first, until none is left, `limit` is reached or the
    broker fails (the rest waits for the next run). Safe to run in several processes at once."""
    OutboxMessage.objects.filter(sent_at__lt=timezone.now() - KEEP_SENT).delete()
    sent = 0
    error = ""
    while sent < limit and not error:
        batch = _claim_due(min(RELAY_BATCH, limit - sent))
        if not batch:
            break
        for position, message in enumerate(batch):
            try:
                _publish(message)
            except _UnknownTask:
                continue
            except Exception as exc:  # any broker or connection error
                error = _describe(exc)
                _release(batch[position + 1 :])
                break
            sent += 1
    if sent and not error:
        _fault_until.pop(_broker_key(), None)
    waiting = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    if sent or error:
        logger.info("outbox relay: %s sent, %s waiting %s", sent, waiting, error)
    return RelayOutcome(sent=sent, waiting=waiting, error=error)


def reset_faults() -> None:
    """Forget recent broker faults (tests that point the app at another broker)."""
    _fault_until.clear()


def _send_after_commit(message_id: int, due: dt.datetime) -> None:
    """One attempt right after the commit; never raises (the change is already committed)."""
    try:
        if _broker_in_fault():
            return  # a publish failed moments ago: the relay sends it
        now = timezone.now()
        # Still as enqueued: neither sent nor claimed by the relay meanwhile.
        claimed = OutboxMessage.objects.filter(
            pk=message_id, sent_at__isnull=True, available_at=due
        ).update(available_at=max(due, now) + LEASE)
        if not claimed:
            return
        message = OutboxMessage.objects.get(pk=message_id)
    except Exception:  # the database: the row, if it is there, waits for the relay
        logger.warning("outbox: could not send message %s now", message_id, exc_info=True)
        return
    with contextlib.suppress(Exception):  # logged and recorded on the row by _publish
        _publish(message, eta=due if due > now else None)


def _claim_due(size: int) -> list[OutboxMessage]:
    now = timezone.now()
    with transaction.atomic():
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(sent_at__isnull=True, available_at__lte=now)
            .order_by("available_at", "pk")[:size]
        )
        OutboxMessage.objects.filter(pk__in=[message.pk for message in batch]).update(
            available_at=now + LEASE
        )
    return batch


def _release(batch: list[OutboxMessage]) -> None:
    """Rows claimed but not tried: due again at once."""
    OutboxMessage.objects.filter(
        pk__in=[message.pk for message in batch], sent_at__isnull=True
    ).update(available_at=timezone.now())


def _publish(message: OutboxMessage, *, eta: dt.datetime | None = None) -> None:
    """Publish a claimed row and record the outcome on it; raises what the broker raised."""
    from portal.celery import app

    if message.task_name not in app.tasks:
        # A process that never imported the tasks modules (manage.py relay_outbox).
        app.loader.import_default_modules()
    task = app.tasks.get(message.task_name)
    if task is None:
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1,
            last_error=f"no task {message.task_name!r} in this version of the portal",
            available_at=timezone.now() + UNKNOWN_TASK_RETRY,
        )
        logger.error("outbox: message %s names an unknown task %r", message.pk, message.task_name)
        raise _UnknownTask(message.task_name)
    try:
        if eta is None:
            task.delay(*message.args)
        else:
            task.apply_async(args=message.args, eta=eta)
    except Exception as exc:
        logger.warning(
            "outbox: could not send %s%r (message %s); the relay will retry it",
            message.task_name,
            tuple(message.args),
            message.pk,
            exc_info=True,
        )
        if not app.conf.task_always_eager:
            _fault_until[_broker_key()] = time.monotonic() + settings.OUTBOX_RELAY_SECONDS
        # Due again at once, or when it was meant to run; the relay sends it.
        now = timezone.now()
        OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
            attempts=F("attempts") + 1,
            last_error=_describe(exc),
            available_at=max(eta, now) if eta else now,
        )
        raise
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=F("attempts") + 1, sent_at=timezone.now(), last_error=""
    )


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]


def _broker_key() -> str:
    from portal.celery import app

    return str(app.conf.broker_url)


def _broker_in_fault() -> bool:
    from portal.celery import app

    if app.conf.task_always_eager:
        return False
    return _fault_until.get(_broker_key(), 0.0) > time.monotonic()
