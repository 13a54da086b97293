"""Celery for real: a worker process renders a receipt; a dead broker fails fast.

The worker runs as a separate process on the test database and on a broker of its own (a temp
folder for the filesystem transport, another Redis database with REDIS_URL), so a developer's
running worker cannot take the task.
"""

import datetime as dt
import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import kombu.pools
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from pypdf import PdfReader

from filings.models import Filing
from filings.review.tasks import render_filing_receipt
from portal.celery import app as celery_app
from tests.factories import FilingFactory, ScopeLineFactory

WORKER_DEADLINE_S = 60
STOP_DEADLINE_S = 30


def _database_url() -> str:
    """The test database (not the developer's), as DATABASE_URL for another process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return "sqlite:///" + str(Path(db["NAME"]).resolve())
    assert db["ENGINE"].endswith("postgresql"), db["ENGINE"]
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'], safe='')}"


def _point_celery_at(url: str, options: dict) -> None:
    """Send this process's .delay() to another broker; pooled connections are dropped."""
    celery_app.conf.broker_url = url
    celery_app.conf.broker_transport_options = options
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    # kombu keeps producer pools in a process-wide registry keyed by the broker URL: one left
    # from an earlier test on the same URL would hand out connections from a closed pool.
    kombu.pools.reset()


@pytest.fixture
def isolated_broker(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A broker only this test uses; yields the environment that points a worker at it."""
    if settings.REDIS_URL:
        parts = urlsplit(settings.REDIS_URL)
        base_db = int(parts.path.strip("/") or 0)
        url = urlunsplit(parts._replace(path=f"/{(base_db + 8) % 16}"))
        options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
        env = {"CELERY_BROKER_URL": url}
    else:
        folder = tmp_path / "broker"
        url = "filesystem://localhost//"
        options = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "control_folder": str(folder / "control"),
            "processed_folder": str(folder / "processed"),
            "store_processed": False,
        }
        for key in ("data_folder_in", "control_folder", "processed_folder"):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
        env = {"CELERY_BROKER_URL": url, "CELERY_FILESYSTEM_DIR": str(folder)}
    saved = (
        celery_app.conf.broker_url,
        celery_app.conf.broker_transport_options,
        celery_app.conf.task_always_eager,
    )
    celery_app.conf.task_always_eager = False
    _point_celery_at(url, options)
    try:
        yield env
    finally:
        _point_celery_at(saved[0], saved[1])
        celery_app.conf.task_always_eager = saved[2]


@pytest.fixture
def worker(isolated_broker: dict[str, str], tmp_path: Path) -> Iterator[dict]:
    """A real `celery worker` process on the test database; stopped with a warm shutdown."""
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        **isolated_broker,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        "--pool=solo",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    state = {"process": process, "log": log_path}
    try:
        yield state
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_DEADLINE_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        state["returncode"] = process.returncode


def _worker_log(worker: dict) -> str:
    return worker["log"].read_text(errors="replace")


def _approved_filing(ent_a) -> Filing:
    today = timezone.localdate()
    filing = FilingFactory(
        enterprise=ent_a,
        status="approved",
        number=f"4403{today.year}0001",
        approved_on=today,
        valid_until=today + dt.timedelta(days=3 * 365),
    )
    ScopeLineFactory(filing=filing)
    return filing


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_r_f7_real_worker_renders_and_stores_the_receipt_pdf(worker, ent_a):
    filing = _approved_filing(ent_a)

    result = render_filing_receipt.delay(filing.pk)

    deadline = time.monotonic() + WORKER_DEADLINE_S
    stored = ""
    while time.monotonic() < deadline:
        stored = Filing.objects.filter(pk=filing.pk).values_list("receipt_pdf", flat=True).get()
        if stored:
            break
        if worker["process"].poll() is not None:
            pytest.fail(f"the worker exited early:\n{_worker_log(worker)}")
        if f"[{result.id}] retry:" in _worker_log(worker):
            pytest.fail(f"the task failed and is being retried:\n{_worker_log(worker)}")
        time.sleep(0.25)
    assert stored, f"no receipt after {WORKER_DEADLINE_S} s; worker log:\n{_worker_log(worker)}"

    filing.refresh_from_db()
    with filing.receipt_pdf.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF-")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert filing.number in text
    # Done by the worker process, not eagerly in this one.
    assert f"render_filing_receipt[{result.id}] succeeded" in _worker_log(worker)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_worker_stops_cleanly_on_sigterm(worker, ent_a):
    process = worker["process"]
    deadline = time.monotonic() + WORKER_DEADLINE_S
    while "ready." not in _worker_log(worker):
        assert process.poll() is None, f"the worker exited early:\n{_worker_log(worker)}"
        assert time.monotonic() < deadline, f"worker not ready:\n{_worker_log(worker)}"
        time.sleep(0.25)

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=STOP_DEADLINE_S) == 0, _worker_log(worker)
    assert "Warm shutdown" in _worker_log(worker)


@pytest.fixture
def silent_redis() -> Iterator[int]:
    """A TCP server on loopback that accepts connections and never answers, like a hung Redis."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in held:
            conn.close()
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
