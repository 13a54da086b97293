"""Reminders: a periodic scan writes one delivery row per reminder, recipient and channel; a
sender delivers the rows. Each step is safe to run twice, at once, or after a crash.

- Scan: the rows are inserted with ignore_conflicts against the unique constraint (kind,
  subject_key, recipient, channel), so a second scan, or beat firing twice, adds nothing.
- In the portal: the Notification is written in the same transaction as the conditional update
  that moves the row from pending to sent; a second worker's update matches no row.
- E-mail: a worker claims the row with a conditional UPDATE (pending/failed → sending); only the
  one whose update matched sends. A failure records the error and the next run retries it, up to
  REMINDER_MAX_ATTEMPTS. A row left in `sending` longer than REMINDER_SENDING_TIMEOUT_SECONDS
  belonged to a worker that died mid-send: it is claimed again. Whether that worker's SMTP
  server had already accepted the message cannot be known (the send and the database update
  are not one transaction, and SMTP has no idempotency key), so the choice is between maybe
  twice and maybe never: a reminder nobody gets is worse than one received twice, so it is
  sent again (at least once), and only after the timeout, so no live sender is overtaken.

No Celery countdown or ETA is used: what is due later is found by a later scan.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal.core.masking import mask_id_numbers
from supervision.models import (
    Channel,
    DeliveryStatus,
    EmailPreference,
    Notification,
    ReminderDelivery,
)
from supervision.notifications.topics import Topic
from supervision.reminders.rules import RULES

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "【企业技能等级认定】"
# Kept well above EMAIL_TIMEOUT: a live sender finishes (or fails) long before its claim is
# presumed lost.
_KEY_CHUNK = 500


def sending_timeout_seconds() -> int:
    return settings.REMINDER_SENDING_TIMEOUT_SECONDS


def max_attempts() -> int:
    return settings.REMINDER_MAX_ATTEMPTS


# Scan ----------------------------------------------------------------------------------------


def _candidate_rows(today) -> dict[tuple, ReminderDelivery]:
    rows: dict[tuple, ReminderDelivery] = {}
    # Users who turned e-mail off for reminders on their account page.
    no_email = set(
        EmailPreference.objects.filter(topic=Topic.REMINDER, email=False).values_list(
            "user_id", flat=True
        )
    )
    for rule in RULES:
        try:
            dues = list(rule(today))
        except Exception:
            # One rule's fault (bad data, a page of another area missing) must not stop the
            # other reminders; the log names the rule.
            logger.exception("reminders: rule %s failed", rule.__name__)
            continue
        for due in dues:
            for user in due.recipients:
                channels = [Channel.IN_APP]
                # Users without an address, or who want no e-mail of reminders, are reminded in
                # the portal only.
                if user.email and user.pk not in no_email:
                    channels.append(Channel.EMAIL)
                for channel in channels:
                    key = (due.kind, due.subject_key, user.pk, channel)
                    rows.setdefault(
                        key,
                        ReminderDelivery(
                            kind=due.kind,
                            subject_key=due.subject_key,
                            recipient_id=user.pk,
                            channel=channel,
                            title=due.title[:200],
                            body=due.body,
                            url=due.url[:300],
                        ),
                    )
    return rows


def _existing_keys(rows: dict[tuple, ReminderDelivery]) -> set[tuple]:
    subject_keys = sorted({key[1] for key in rows})
    existing: set[tuple] = set()
    for start in range(0, len(subject_keys), _KEY_CHUNK):
        chunk = subject_keys[start : start + _KEY_CHUNK]
        existing.update(
            ReminderDelivery.objects.filter(subject_key__in=chunk).values_list(
                "kind", "subject_key", "recipient_id", "channel"
            )
        )
    return existing


def reminders_scan(*, today) -> int:
    """Write the delivery rows of every reminder due on `today`; returns how many are new."""
    # Texts are stored as the recipients read them, whatever language the caller runs in.
    with translation.override(settings.LANGUAGE_CODE):
        rows = _candidate_rows(today)
    existing = _existing_keys(rows)
    new = [row for key, row in rows.items() if key not in existing]
    # A concurrent scan may insert the same rows between the look-up and here: the unique
    # constraint drops them, so the count is at most an overestimate, never a duplicate.
    ReminderDelivery.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    if new:
        logger.info("reminders: %s new deliveries for %s", len(new), today)
    return len(new)


# Send ----------------------------------------------------------------------------------------


def _sendable() -> Q:
    stale = timezone.now() - dt.timedelta(seconds=sending_timeout_seconds())
    return (
        Q(status=DeliveryStatus.PENDING)
        | Q(status=DeliveryStatus.FAILED, attempts__lt=max_attempts())
        | Q(status=DeliveryStatus.SENDING, claimed_at__lt=stale)
    )


def reminders_send(*, limit: int, channel: str | None = None) -> int:
    """Deliver up to `limit` rows waiting (or due for a retry); returns how many were sent."""
    rows = ReminderDelivery.objects.filter(_sendable())
    if channel:
        rows = rows.filter(channel=channel)
    ids = list(rows.order_by("pk").values_list("pk", flat=True)[:limit])
    return sum(1 for delivery_id in ids if reminder_deliver(delivery_id))


def reminder_deliver(delivery_id: int) -> bool:
    """Deliver one row if it still waits; True when this call delivered it."""
    delivery = ReminderDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        return False
    if delivery.channel == Channel.IN_APP:
        return _deliver_in_app(delivery)
    return _deliver_email(delivery)


def _deliver_in_app(delivery: ReminderDelivery) -> bool:
    with transaction.atomic():
        moved = ReminderDelivery.objects.filter(
            pk=delivery.pk, status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED]
        ).update(
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
            attempts=F("attempts") + 1,
            last_error="",
        )
        if moved != 1:
            return False
        Notification.objects.create(
            user_id=delivery.recipient_id,
            kind=delivery.kind,
            title=delivery.title,
            body=delivery.body,
            url=delivery.url,
        )
    return True


def reminder_claim(delivery: ReminderDelivery) -> bool:
    """Move the row to `sending` if it is still in the state this worker read; True if ours.

    The update's WHERE repeats the state read (status, attempts, claim time): of two workers
    that read the same row, the database lets exactly one update match it."""
    now = timezone.now()
    current = Q(pk=delivery.pk, status=delivery.status, attempts=delivery.attempts)
    if delivery.status == DeliveryStatus.SENDING:
        stale = now - dt.timedelta(seconds=sending_timeout_seconds())
        current &= Q(claimed_at=delivery.claimed_at, claimed_at__lt=stale)
    elif delivery.status == DeliveryStatus.FAILED:
        current &= Q(attempts__lt=max_attempts())
    elif delivery.status != DeliveryStatus.PENDING:
        return False
    claimed = ReminderDelivery.objects.filter(current).update(
        status=DeliveryStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def _deliver_email(delivery: ReminderDelivery) -> bool:
    if delivery.status == DeliveryStatus.SENDING and delivery.attempts >= max_attempts():
        # Lost mid-send as often as we try: stop, and say so.
        stale = timezone.now() - dt.timedelta(seconds=sending_timeout_seconds())
        ReminderDelivery.objects.filter(
            pk=delivery.pk,
            status=DeliveryStatus.SENDING,
            claimed_at=delivery.claimed_at,
            claimed_at__lt=stale,
        ).update(status=DeliveryStatus.FAILED, last_error="sender lost while sending")
        return False
    if not reminder_claim(delivery):
        return False
    delivery.refresh_from_db()
    address = delivery.recipient.email
    try:
        if not address:
            raise ValueError("the recipient has no e-mail address any more")
        _email(delivery, address).send(fail_silently=False)
    except Exception as error:
        logger.warning("reminders: e-mail %s failed: %s", delivery.pk, error)
        final = delivery.attempts >= max_attempts() or not address
        ReminderDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.FAILED,
            last_error=f"{type(error).__name__}: {error}"[:300],
            # Retries stop at the limit; a missing address will not come back by retrying.
            attempts=max_attempts() if final else F("attempts"),
        )
        return False
    ReminderDelivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def _email(delivery: ReminderDelivery, address: str) -> EmailMultiAlternatives:
    """The reminder as an e-mail: its title, text and the link; never a person's ID number."""
    recipient = delivery.recipient
    membership = getattr(recipient, "membership", None)
    context = {
        "name": (membership.full_name if membership else "") or recipient.get_username(),
        "title": delivery.title,
        "body": delivery.body,
        "link": settings.PORTAL_BASE_URL + delivery.url if delivery.url.startswith("/") else "",
        "inbox": settings.PORTAL_BASE_URL + reverse("notification_list"),
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = mask_id_numbers(render_to_string("emails/reminder.txt", context))
        html = mask_id_numbers(render_to_string("emails/reminder.html", context))
    message = EmailMultiAlternatives(
        subject=mask_id_numbers(SUBJECT_PREFIX + delivery.title),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
    )
    message.attach_alternative(html, "text/html")
    return message
