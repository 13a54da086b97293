"""Celery for real: a worker process renders a receipt; a dead broker fails fast.

The worker runs as a separate process on the test database and on a broker of its own (a temp
folder for the filesystem transport, another Redis database with REDIS_URL), so a developer's
running worker cannot take the task.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from django.conf import settings

from filings.models import Filing
from filings.review.tasks import render_filing_receipt
from tests.support.celery import STOP_DEADLINE_S, WORKER_DEADLINE_S
from tests.support.factories import approved_today
from tests.support.pdfs import stored_pdf_text
from tests.support.processes import SilentServer, wait_until


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_r_f7_real_worker_renders_and_stores_the_receipt_pdf(worker, ent_a):
    filing = approved_today(ent_a)

    result = render_filing_receipt.delay(filing.pk)

    def stored() -> str:
        assert worker.alive(), f"the worker exited early:\n{worker.text()}"
        retried = f"[{result.id}] retry:" in worker.text()
        assert not retried, f"the task failed and is being retried:\n{worker.text()}"
        return Filing.objects.filter(pk=filing.pk).values_list("receipt_pdf", flat=True).get()

    wait_until(stored, "the receipt PDF", WORKER_DEADLINE_S, explain=worker.text, step=0.25)

    filing.refresh_from_db()
    assert filing.number in stored_pdf_text(filing.receipt_pdf.name)
    # Done by the worker process, not eagerly in this one.
    assert f"render_filing_receipt[{result.id}] succeeded" in worker.text()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_worker_stops_cleanly_on_sigterm(worker, ent_a):
    worker.wait_for_log("ready.", WORKER_DEADLINE_S)

    worker.process.send_signal(signal.SIGTERM)

    assert worker.process.wait(timeout=STOP_DEADLINE_S) == 0, worker.text()
    assert "Warm shutdown" in worker.text()


@pytest.fixture
def silent_redis() -> Iterator[int]:
    server = SilentServer()
    try:
        yield server.port
    finally:
        server.close()


def test_delay_fails_within_seconds_when_redis_never_answers(silent_redis):
    script = (
        "import time, django\n"
        "django.setup()\n"
        "from filings.review.tasks import render_filing_receipt\n"
        "started = time.monotonic()\n"
        "try:\n"
        "    render_filing_receipt.delay(1)\n"
        "except Exception as exc:\n"
        "    print(f'FAILED after {time.monotonic() - started:.1f} s: {exc!r}')\n"
        "    raise SystemExit(3)\n"
        "print('SENT')\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "REDIS_URL": f"redis://127.0.0.1:{silent_redis}/0",
        "CELERY_BROKER_SOCKET_TIMEOUT": "2",
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    env.pop("CELERY_BROKER_URL", None)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.monotonic() - started

    assert done.returncode == 3, done.stdout + done.stderr
    assert "FAILED after" in done.stdout
    assert "Timeout" in done.stdout
    # 2 s socket timeout, at most 3 publish attempts, plus Django and WeasyPrint start-up.
    assert elapsed < 20, done.stdout
