"""Reminders reach each recipient once per channel: the scan and the sender may run twice, at
once, or after a crash, and still one notification and one e-mail per recipient."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from supervision.models import Notification, ReminderDelivery
from supervision.reminders import delivery as reminders
from supervision.reminders.delivery import (
    reminder_claim,
    reminder_deliver,
    reminders_scan,
    reminders_send,
)
from supervision.tasks import scan_reminders
from tests.support.factories import FilingFactory, make_member

D = dt.date
TODAY = D(2026, 11, 2)

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(ent_a, alice):
    """A returned filing of A whose correction deadline is today (R-F7): alice is reminded."""
    return FilingFactory(enterprise=ent_a, status="returned", correction_deadline=TODAY)


def test_r_f7_a_scan_writes_one_row_per_recipient_and_channel(returned, alice):
    assert reminders_scan(today=TODAY) == 2

    rows = ReminderDelivery.objects.order_by("channel")
    assert [(r.recipient, r.channel, r.status) for r in rows] == [
        (alice, "email", "pending"),
        (alice, "in_app", "pending"),
    ]
    assert rows[0].title == "今天是更正备案申请的最后一天"
    assert rows[0].url == f"/filings/{returned.pk}/"


def test_scanning_twice_adds_nothing(returned):
    assert reminders_scan(today=TODAY) == 2
    assert reminders_scan(today=TODAY) == 0
    assert ReminderDelivery.objects.count() == 2


def test_a_deadline_moved_later_reminds_again(returned):
    reminders_scan(today=TODAY)
    returned.correction_deadline = D(2026, 11, 4)
    returned.save(update_fields=["correction_deadline"])

    assert reminders_scan(today=TODAY) == 2
    assert ReminderDelivery.objects.filter(subject_key__contains="2026-11-04:3wd").count() == 2


def test_sending_twice_makes_one_notification_and_one_email(returned, alice, mailoutbox):
    reminders_scan(today=TODAY)

    assert reminders_send(limit=100) == 2
    assert reminders_send(limit=100) == 0
    reminders_scan(today=TODAY)
    assert reminders_send(limit=100) == 0

    assert Notification.objects.filter(user=alice).count() == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [alice.email]
    assert message.subject == "【企业技能等级认定】今天是更正备案申请的最后一天"
    assert f"http://testserver/filings/{returned.pk}/" in message.body or (
        f"/filings/{returned.pk}/" in message.body
    )
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}


def test_the_email_links_to_the_portal_and_carries_no_id_number(
    settings, returned, alice, mailoutbox
):
    settings.PORTAL_BASE_URL = "https://jndj.example.cn"
    reminders_scan(today=TODAY)
    reminders_send(limit=100)

    message = mailoutbox[0]
    assert f"https://jndj.example.cn/filings/{returned.pk}/" in message.body
    assert "https://jndj.example.cn/notifications/" in message.body
    html = message.alternatives[0][0]
    assert f'href="https://jndj.example.cn/filings/{returned.pk}/"' in html
    assert not re.search(r"\d{17}[\dXx]", message.body + html)


def test_beat_firing_twice_still_delivers_once(
    ent_a, alice, mailoutbox, django_capture_on_commit_callbacks
):
    # The task scans the real today.
    FilingFactory(enterprise=ent_a, status="returned", correction_deadline=timezone.localdate())
    # Tasks run in-process here; the same scan twice, as a duplicated beat tick would.
    with django_capture_on_commit_callbacks(execute=True):
        scan_reminders.delay()
    with django_capture_on_commit_callbacks(execute=True):
        scan_reminders.delay()

    assert Notification.objects.filter(user=alice).count() == 1
    assert len(mailoutbox) == 1


def test_a_user_without_email_is_reminded_in_the_portal_only(returned, alice, mailoutbox):
    alice.email = ""
    alice.save(update_fields=["email"])

    reminders_scan(today=TODAY)
    reminders_send(limit=100)

    assert list(ReminderDelivery.objects.values_list("channel", flat=True)) == ["in_app"]
    assert Notification.objects.filter(user=alice).count() == 1
    assert mailoutbox == []


def test_two_senders_claiming_the_same_row_only_one_wins(returned):
    reminders_scan(today=TODAY)
    row = ReminderDelivery.objects.get(channel="email")
    # Both workers read the row while it was pending.
    first_view = ReminderDelivery.objects.get(pk=row.pk)
    second_view = ReminderDelivery.objects.get(pk=row.pk)

    assert reminder_claim(first_view) is True
    assert reminder_claim(second_view) is False
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sending", 1)


def test_a_row_claimed_by_another_sender_is_not_sent_again(returned, mailoutbox):
    reminders_scan(today=TODAY)
    row = ReminderDelivery.objects.get(channel="email")
    assert reminder_claim(ReminderDelivery.objects.get(pk=row.pk))

    assert reminders_send(limit=100) == 1  # the in-app one only
    assert reminder_deliver(row.pk) is False
    assert mailoutbox == []


def test_in_app_delivered_twice_writes_one_notification(returned, alice):
    reminders_scan(today=TODAY)
    row = ReminderDelivery.objects.get(channel="in_app")

    assert reminder_deliver(row.pk) is True
    assert reminder_deliver(row.pk) is False
    assert Notification.objects.filter(user=alice).count() == 1


def test_a_row_stuck_in_sending_is_retried_after_the_timeout(settings, returned, mailoutbox):
    settings.REMINDER_SENDING_TIMEOUT_SECONDS = 600
    reminders_scan(today=TODAY)
    row = ReminderDelivery.objects.get(channel="email")
    # A worker claimed it and died before sending.
    assert reminder_claim(ReminderDelivery.objects.get(pk=row.pk))

    reminders_send(limit=100)
    assert mailoutbox == []  # still inside the timeout: the sender may be alive

    ReminderDelivery.objects.filter(pk=row.pk).update(
        claimed_at=timezone.now() - dt.timedelta(seconds=601)
    )
    assert reminders_send(limit=100) == 1
    assert len(mailoutbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("sent", 2)


def test_a_row_lost_mid_send_too_often_is_marked_failed(settings, returned, mailoutbox):
    settings.REMINDER_MAX_ATTEMPTS = 2
    reminders_scan(today=TODAY)
    row = ReminderDelivery.objects.get(channel="email")
    ReminderDelivery.objects.filter(pk=row.pk).update(
        status="sending", attempts=2, claimed_at=timezone.now() - dt.timedelta(hours=1)
    )

    reminders_send(limit=100)

    row.refresh_from_db()
    assert (row.status, row.last_error) == ("failed", "sender lost while sending")
    assert mailoutbox == []


@pytest.fixture
def broken_mail(monkeypatch):
    calls = {"n": 0}

    def fail(self, fail_silently=False):
        calls["n"] += 1
        raise ConnectionRefusedError("smtp.example.cn:25 refused the connection")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", fail)
    return calls


def test_a_failed_send_is_recorded_and_retried_up_to_the_limit(settings, returned, broken_mail):
    settings.REMINDER_MAX_ATTEMPTS = 3
    reminders_scan(today=TODAY)
    row = ReminderDelivery.objects.get(channel="email")

    for _ in range(5):
        reminders_send(limit=100)

    assert broken_mail["n"] == 3
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 3)
    assert row.last_error == "ConnectionRefusedError: smtp.example.cn:25 refused the connection"
    # The in-portal reminder did not wait for the mail server.
    assert ReminderDelivery.objects.get(channel="in_app").status == "sent"


def test_a_failed_send_succeeds_on_the_next_run(returned, broken_mail, monkeypatch, mailoutbox):
    reminders_scan(today=TODAY)
    reminders_send(limit=100)
    row = ReminderDelivery.objects.get(channel="email")
    assert row.status == "failed"

    monkeypatch.undo()
    assert reminders_send(limit=100) == 1

    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, "")
    assert len(mailoutbox) == 1


def test_an_address_removed_before_sending_fails_without_retrying(returned, alice, mailoutbox):
    reminders_scan(today=TODAY)
    alice.email = ""
    alice.save(update_fields=["email"])

    reminders_send(limit=100)
    reminders_send(limit=100)

    row = ReminderDelivery.objects.get(channel="email")
    assert (row.status, row.attempts) == ("failed", reminders.max_attempts())
    assert mailoutbox == []


def test_one_broken_rule_does_not_stop_the_others(monkeypatch, returned, caplog):
    def broken(today):
        raise RuntimeError("boom")

    monkeypatch.setattr(reminders, "RULES", [broken, *reminders.RULES])

    assert reminders_scan(today=TODAY) == 2
    assert "rule broken failed" in caplog.text


def test_every_recipient_is_reminded(ent_a, alice, returned, mailoutbox):
    make_member("amy", "enterprise", enterprise=ent_a)

    reminders_scan(today=TODAY)
    reminders_send(limit=100)

    assert sorted(Notification.objects.values_list("user__username", flat=True)) == [
        "alice",
        "amy",
    ]
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.com", "amy@example.com"]
