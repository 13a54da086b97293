"""Notifications: a message in a user's inbox, written in the same transaction as the event that
caused it, and, where the user wants e-mail for its topic, one e-mail sent by the worker.

The e-mail is a delivery row (supervision.reminders.delivery) keyed by the occasion: the unique
constraint keeps it to one per user and occasion, and the sender's claim to one send. The inbox
marks notifications read, always for their owner only."""

from collections.abc import Iterable

from django.utils import timezone

from portal.core.dispatch import enqueue_on_commit
from supervision.models import Channel, Notification, ReminderDelivery
from supervision.notifications.topics import wants_email


def notify(
    *,
    user,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    key: str = "",
    email_body: str | None = None,
    send: bool = True,
) -> Notification:
    """Tell `user`; `key` names the occasion (one e-mail per user and key), by default this
    notification. `email_body` replaces `body` in the e-mail (text typed by the public is shown
    in the portal, never mailed out under the portal's name). `send=False` leaves starting the
    sender to the caller (`notify_all`)."""
    note = Notification.objects.create(
        user=user, kind=kind, title=title[:200], body=body, url=url[:300]
    )
    if wants_email(user, kind):
        ReminderDelivery.objects.bulk_create(
            [
                ReminderDelivery(
                    kind=kind[:40],
                    subject_key=(key or f"notification:{note.pk}")[:120],
                    recipient=user,
                    channel=Channel.EMAIL,
                    title=note.title,
                    body=body if email_body is None else email_body,
                    url=note.url,
                )
            ],
            ignore_conflicts=True,
        )
        note.emailed = True
        if send:
            start_email_sender()
    return note


def start_email_sender() -> None:
    from supervision.tasks import send_reminders

    enqueue_on_commit(send_reminders)


def notify_all(
    users: Iterable,
    *,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    key: str = "",
    email_body: str | None = None,
    start_sender: bool = True,
) -> list[Notification]:
    """`notify` each user once, whatever the number of lists they were found in; the sender is
    started once (unless the caller does it, `start_sender=False`). Returns the notifications
    written."""
    seen: set[int] = set()
    notes = []
    for user in users:
        if user.pk in seen:
            continue
        seen.add(user.pk)
        notes.append(
            notify(
                user=user,
                kind=kind,
                title=title,
                body=body,
                url=url,
                key=key,
                email_body=email_body,
                send=False,
            )
        )
    if start_sender and any(getattr(note, "emailed", False) for note in notes):
        start_email_sender()
    return notes


def notification_mark_read(*, notification: Notification) -> None:
    # Conditional: a second open (another tab) keeps the first reading time.
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_read_all(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
