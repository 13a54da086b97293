"""Reminders with real processes: a Celery worker running the scan twice plus a duplicated send
(as a beat that fires twice would), and two sender processes racing over the same rows. Each
recipient still gets one notification and one e-mail.

The worker and the senders write e-mails with Django's file backend into a temp folder (locmem
does not cross processes); a tiny settings module adds EMAIL_FILE_PATH to the portal's settings.
"""

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from supervision.models import Notification, ReminderDelivery
from supervision.tasks import scan_reminders, send_reminders
from tests.support.celery import WORKER_DEADLINE_S, running_worker
from tests.support.factories import EnterpriseFactory, FilingFactory, make_member
from tests.support.processes import Worker, database_url

SETTINGS_MODULE = "reminder_test_settings"


@pytest.fixture
def mail_env(tmp_path: Path) -> dict[str, str]:
    """Environment for another process: the test database, e-mails as files in a temp folder."""
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    module_dir = tmp_path / "settings"
    module_dir.mkdir()
    (module_dir / f"{SETTINGS_MODULE}.py").write_text(
        "import os\n"
        "from portal.settings import *  # noqa\n"
        'EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"\n'
        'EMAIL_FILE_PATH = os.environ["REMINDER_TEST_OUTBOX"]\n'
    )
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
        "PYTHONPATH": os.pathsep.join([str(module_dir), str(settings.BASE_DIR)]),
        "REMINDER_TEST_OUTBOX": str(outbox),
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
    }


def _emails(env: dict[str, str]) -> list[str]:
    return [p.read_text() for p in sorted(Path(env["REMINDER_TEST_OUTBOX"]).iterdir())]


def _recipients(emails: list[str]) -> list[str]:
    return sorted(
        line.removeprefix("To: ")
        for text in emails
        for line in text.splitlines()
        if line.startswith("To: ")
    )


@pytest.fixture
def mail_worker(isolated_broker, mail_env, tmp_path: Path) -> Iterator[Worker]:
    log = tmp_path / "worker.log"
    with running_worker(isolated_broker, log, hostname="reminder", **mail_env) as started:
        yield started


@pytest.fixture
def due_today(world):
    """A returned filing whose correction deadline is today (R-F7), with three operators; one
    has no e-mail address."""
    enterprise = EnterpriseFactory(district=world["nanshan"])
    FilingFactory(
        enterprise=enterprise, status="returned", correction_deadline=timezone.localdate()
    )
    people = [
        make_member(name, "enterprise", enterprise=enterprise) for name in ("ann", "ben", "cat")
    ]
    people[2].email = ""
    people[2].save(update_fields=["email"])
    return people


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_scanning_twice_reminds_each_recipient_once(mail_worker, mail_env, due_today):
    scan_reminders.delay()
    scan_reminders.delay()
    send_reminders.delay()  # beat-like duplicate of the send the scans enqueue

    log = mail_worker.log
    deadline = time.monotonic() + WORKER_DEADLINE_S
    # Each scan enqueues one send: 2 scans and 3 sends in all.
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace")
        if text.count("send_reminders[") >= 6 and text.count("] succeeded") >= 5:
            break
        if not mail_worker.alive():
            pytest.fail(f"the worker exited early:\n{text}")
        time.sleep(0.25)
    else:
        pytest.fail(f"the tasks did not finish in time:\n{log.read_text(errors='replace')}")

    assert "scan_reminders[" in log.read_text()
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == [
        "ann",
        "ben",
        "cat",
    ]
    assert _recipients(_emails(mail_env)) == ["ann@example.com", "ben@example.com"]
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}
    assert ReminderDelivery.objects.count() == 5


SENDER = (
    "import django\n"
    "django.setup()\n"
    "from supervision.reminders.delivery import reminders_send\n"
    "print('sent', reminders_send(limit=1000))\n"
)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_sender_processes_racing_send_each_email_once(mail_env, world):
    enterprise = EnterpriseFactory(district=world["nanshan"])
    FilingFactory(
        enterprise=enterprise, status="returned", correction_deadline=timezone.localdate()
    )
    names = [f"op{n:02d}" for n in range(12)]
    for name in names:
        make_member(name, "enterprise", enterprise=enterprise)
    from supervision.reminders.delivery import reminders_scan

    assert reminders_scan(today=timezone.localdate()) == 24

    senders = [
        subprocess.Popen(
            [sys.executable, "-c", SENDER],
            cwd=settings.BASE_DIR,
            env=mail_env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=WORKER_DEADLINE_S)[0] for p in senders]

    assert [p.returncode for p in senders] == [0, 0], outputs
    counts = [int(out.strip().splitlines()[-1].split()[-1]) for out in outputs]
    assert sum(counts) == 24, outputs
    assert _recipients(_emails(mail_env)) == [f"{name}@example.com" for name in names]
    assert Notification.objects.count() == 12
    assert set(ReminderDelivery.objects.values_list("status", flat=True)) == {"sent"}
