"""The transactional outbox (portal.core.outbox): background work is a row written with the change
that calls for it, sent after the commit, kept while the broker cannot take it, and sent by the
relay (beat's relay-outbox, `manage.py relay_outbox`, each worker start) exactly when it is due.

These run in one process: the broker is a stand-in whose publish fails or counts. The real
Redis faults, with real workers, are in test_redis_faults.py.
"""

import datetime as dt
import io
import re
import threading
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from assessments.models import RosterImport
from assessments.rosters import services as roster_services
from assessments.tasks import check_roster, import_roster
from filings.models import Filing, FilingStatus
from filings.review import services
from filings.review.tasks import render_filing_receipt
from portal.core import outbox
from portal.core.dispatch import enqueue_on_commit
from portal.core.models import OutboxMessage
from tests.assessments.factories import PlanFactory, roster_xlsx
from tests.support.factories import FilingFactory, ScopeLineFactory

APPS = ("portal", "filings", "assessments", "certificates", "supervision")
SENDERS_OF_THEIR_OWN = {
    # The outbox publishes; the relay itself is sent directly (it is what empties the outbox).
    Path("portal/core/outbox.py"),
    Path("portal/celery.py"),
}


@pytest.fixture
def at_city(ent_a):
    filing = FilingFactory(enterprise=ent_a, status="city_review", skip_onsite=True)
    ScopeLineFactory(filing=filing)
    return filing


def _receipt_rows(filing: Filing):
    return OutboxMessage.objects.filter(task_name=render_filing_receipt.name, args=[filing.pk])


def _broker_down():
    return mock.patch.object(
        render_filing_receipt, "delay", side_effect=OperationalError("Connection refused")
    )


def test_the_work_is_written_with_the_change_and_rolled_back_with_it(at_city, carl):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.filing_approve(filing=at_city, actor=carl)
        assert _receipt_rows(at_city).count() == 1  # in the approval's transaction
        raise RuntimeError("something later in the same transaction fails")
    assert Filing.objects.get(pk=at_city.pk).status == FilingStatus.CITY_REVIEW
    assert not _receipt_rows(at_city).exists()  # no receipt for an approval that did not happen


def test_a_broker_fault_keeps_the_work_until_the_relay_sends_it(
    at_city, carl, django_capture_on_commit_callbacks
):
    with _broker_down() as publish, django_capture_on_commit_callbacks(execute=True):
        services.filing_approve(filing=at_city, actor=carl)
    assert publish.called
    filing = Filing.objects.get(pk=at_city.pk)
    assert filing.status == FilingStatus.APPROVED and filing.number
    message = _receipt_rows(at_city).get()
    assert (message.sent_at, message.attempts) == (None, 1)
    assert "Connection refused" in message.last_error
    assert not filing.receipt_pdf

    out = io.StringIO()
    call_command("relay_outbox", stdout=out)  # the broker is back (tasks run in this process)

    assert out.getvalue().strip() == "1 sent, 0 waiting"
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 2 and not message.last_error
    filing.refresh_from_db()
    assert filing.receipt_pdf.read().startswith(b"%PDF-")


def test_the_relay_command_fails_while_the_broker_is_down_and_loses_nothing(at_city, carl):
    with _broker_down(), transaction.atomic():
        services.filing_approve(filing=at_city, actor=carl)  # commit in the test's atomic: no send
    with _broker_down(), pytest.raises(CommandError, match="1 waiting"):
        call_command("relay_outbox", stdout=io.StringIO())
    assert _receipt_rows(at_city).get().sent_at is None


def test_after_a_broker_fault_requests_leave_the_work_to_the_relay_without_waiting(
    real_broker, ent_a, ent_b, carl, django_capture_on_commit_callbacks
):
    real_broker("redis://127.0.0.1:9/0", {})  # never reached: the publish is a stand-in
    first, second = (
        FilingFactory(enterprise=enterprise, status="city_review", skip_onsite=True)
        for enterprise in (ent_a, ent_b)
    )
    with _broker_down() as publish, django_capture_on_commit_callbacks(execute=True):
        services.filing_approve(filing=first, actor=carl)
        services.filing_approve(filing=second, actor=carl)
    # The first send waited for the broker and failed; the second did not try.
    assert publish.call_count == 1
    assert _receipt_rows(second).get().attempts == 0

    with mock.patch.object(render_filing_receipt, "delay") as publish:
        result = outbox.relay()  # the relay tries whatever the recent fault
    assert (result.sent, result.waiting, result.error) == (2, 0, "")
    assert sorted(call.args for call in publish.call_args_list) == [(first.pk,), (second.pk,)]


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_send_each_row_once():
    now = timezone.now()
    OutboxMessage.objects.bulk_create(
        OutboxMessage(task_name=render_filing_receipt.name, args=[n], available_at=now)
        for n in range(120)
    )
    sent: list[int] = []
    lock = threading.Lock()

    def publish(number):
        with lock:
            sent.append(number)

    def run_relay() -> None:
        try:
            outbox.relay()
        finally:
            connection.close()

    with mock.patch.object(render_filing_receipt, "delay", side_effect=publish):
        threads = [threading.Thread(target=run_relay) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(sent) == list(range(120))
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()


def test_a_row_being_sent_elsewhere_is_left_alone_until_its_lease_runs_out(ent_a):
    filing = FilingFactory(enterprise=ent_a)
    now = timezone.now()
    lease_end = now + outbox.LEASE
    # Claimed by another process that has not reported back (it may have died mid-send).
    OutboxMessage.objects.create(
        task_name=render_filing_receipt.name, args=[filing.pk], available_at=lease_end
    )
    with mock.patch.object(render_filing_receipt, "delay") as publish:
        assert outbox.relay().sent == 0
        with mock.patch.object(timezone, "now", return_value=lease_end + dt.timedelta(seconds=1)):
            assert outbox.relay().sent == 1  # sent again: the task must be safe to run twice
    assert publish.call_count == 1


def test_a_delayed_task_goes_out_with_its_eta_or_when_due_and_not_before(
    ent_a, django_capture_on_commit_callbacks
):
    filing = FilingFactory(enterprise=ent_a)
    with (
        mock.patch.object(render_filing_receipt, "apply_async") as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = enqueue_on_commit(render_filing_receipt, filing.pk, countdown=30)
    publish.assert_called_once_with(args=[filing.pk], eta=message.available_at)
    message.refresh_from_db()
    assert message.sent_at is not None

    with (
        mock.patch.object(render_filing_receipt, "apply_async", side_effect=OperationalError),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = enqueue_on_commit(render_filing_receipt, filing.pk, countdown=30)
    due = message.available_at
    message.refresh_from_db()
    assert message.sent_at is None and message.available_at == due  # kept for when it is due
    with mock.patch.object(render_filing_receipt, "delay") as publish:
        assert outbox.relay().sent == 0
        with mock.patch.object(timezone, "now", return_value=due + dt.timedelta(seconds=1)):
            assert outbox.relay().sent == 1
    publish.assert_called_once_with(filing.pk)


def test_a_task_this_version_does_not_know_does_not_hold_up_the_rest(ent_a):
    filing = FilingFactory(enterprise=ent_a)
    now = timezone.now()
    gone = OutboxMessage.objects.create(
        task_name="filings.tasks.renamed_since", args=[1], available_at=now
    )
    OutboxMessage.objects.create(
        task_name=render_filing_receipt.name, args=[filing.pk], available_at=now
    )
    with mock.patch.object(render_filing_receipt, "delay") as publish:
        result = outbox.relay()
    assert (result.sent, result.error) == (1, "")
    assert publish.called
    gone.refresh_from_db()
    assert gone.sent_at is None and "renamed_since" in gone.last_error
    assert gone.available_at > now + dt.timedelta(minutes=30)  # looked at again later


def test_sent_rows_are_dropped_after_a_week_and_unsent_ones_never(ent_a):
    now = timezone.now()
    old = now - outbox.KEEP_SENT - dt.timedelta(hours=1)
    OutboxMessage.objects.create(task_name="x", args=[], available_at=old, sent_at=old)
    kept = OutboxMessage.objects.create(
        task_name="x", args=[], available_at=now + dt.timedelta(days=1)
    )
    recent = OutboxMessage.objects.create(task_name="x", args=[], available_at=now, sent_at=now)
    outbox.relay()
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {kept.pk, recent.pk}


def test_the_relay_runs_on_beat_every_outbox_relay_seconds():
    entry = settings.CELERY_BEAT_SCHEDULE["relay-outbox"]
    assert entry == {
        "task": "portal.core.tasks.relay_outbox",
        "schedule": settings.OUTBOX_RELAY_SECONDS,
    }
    from portal.celery import app

    assert entry["task"] in app.tasks


def test_every_task_the_apps_start_goes_through_the_outbox():
    """A `.delay()` or `.apply_async()` in app code would bypass the outbox and be lost with
    the broker; tests and the outbox itself may call them."""
    base = Path(settings.BASE_DIR)
    direct = re.compile(r"\w\.(delay|apply_async|send_task)\(")
    offenders = [
        f"{path.relative_to(base)}:{number}: {line.strip()}"
        for app in APPS
        for path in sorted((base / app).rglob("*.py"))
        if path.relative_to(base) not in SENDERS_OF_THEIR_OWN and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if direct.search(line) and not line.lstrip().startswith("#")
    ]
    assert offenders == []


def test_roster_jobs_delivered_twice_check_and_import_the_roster_once(
    ent_a, alice, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(roster_services, "BACKGROUND_ROWS", 1)
    plan = PlanFactory(enterprise=ent_a, levels=[5, 4])
    with django_capture_on_commit_callbacks(execute=True):
        job = roster_services.roster_upload(
            plan=plan, actor=alice, data=roster_xlsx(3), filename="名册.xlsx"
        )
    check_roster(job.pk)  # the same message delivered again
    job = RosterImport.objects.get(pk=job.pk)
    assert job.phase == "checked" and job.good == 3
    with django_capture_on_commit_callbacks(execute=True):
        roster_services.roster_import_start(upload=job, actor=alice, only_good=False)
    import_roster(job.pk)
    assert plan.roster.count() == 3
    assert RosterImport.objects.get(pk=job.pk).imported == 3
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
