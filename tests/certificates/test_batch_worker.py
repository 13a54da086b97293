"""R-K1 with real workers: a worker killed mid-batch costs only the part it was printing.

A real `celery worker` prints a 600-certificate batch (three parts: 250, 250, 100 pages). It is
killed with SIGKILL (no warm shutdown, no acknowledgement: a crash or an OOM kill) once a part is
stored and while it renders another. A new worker, whose claims go stale after 3 s,
resumes at start (worker_ready → resume_batches); the dead worker's part is rendered again
once its claim is stale. The batch PDF must have exactly one page per certificate, in roster
order, and a part finished before the kill is not rendered again.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.files.storage import default_storage

from assessments.models import ResultBatch
from certificates import services
from certificates.models import BatchPart, Certificate, IssueBatch, IssueStatus
from portal.celery import app as celery_app
from tests.assessments.factories import RosterEntryFactory, id_number
from tests.certificates.factories import ISSUED_ON, approved_batch, prefix_for
from tests.test_celery_worker import _database_url, isolated_broker  # noqa: F401 (fixture)

CERTIFICATES = 600
CLAIM_SECONDS = 3
READY_DEADLINE_S = 90
KILL_DEADLINE_S = 120
BATCH_DEADLINE_S = 180


def _start_worker(env: dict, log: Path, *pool: str) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "portal",
        "worker",
        *pool,
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
    ]
    with log.open("ab") as out:
        # A session of its own: the kill takes the pool's children with it, as a crash would.
        return subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _kill(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        return


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        _kill(process, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            _kill(process, signal.SIGKILL)
            process.wait()
    _kill(process, signal.SIGKILL)  # any pool child left behind


@pytest.fixture
def workers(isolated_broker, tmp_path: Path) -> Iterator[dict]:  # noqa: F811
    """Starts workers on the test database and the isolated broker; stops them all at the end."""
    celery_app.control.purge()
    base_env = {
        **os.environ,
        **isolated_broker,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
    }
    started: list[subprocess.Popen] = []

    def start(name: str, *pool: str, **env: str) -> dict:
        log = tmp_path / f"{name}.log"
        process = _start_worker({**base_env, **env}, log, *pool)
        started.append(process)
        return {"process": process, "log": log}

    try:
        yield {"start": start}
    finally:
        for process in started:
            _stop(process)
        celery_app.control.purge()
        broker = isolated_broker["CELERY_BROKER_URL"]
        if broker.startswith("redis"):
            # The killed worker's message waits in kombu's unacked set for the visibility
            # timeout (an hour); it would then be handed to whatever worker uses this broker.
            redis.Redis.from_url(broker).delete("unacked", "unacked_index")


def _log(worker: dict) -> str:
    return worker["log"].read_text(errors="replace")


def _wait_ready(worker: dict) -> None:
    deadline = time.monotonic() + READY_DEADLINE_S
    while "ready." not in _log(worker):
        assert worker["process"].poll() is None, f"the worker exited:\n{_log(worker)}"
        assert time.monotonic() < deadline, f"the worker is not ready:\n{_log(worker)}"
        time.sleep(0.1)


def _big_approved_batch(enterprise) -> ResultBatch:
    batch = approved_batch(enterprise, "failed")
    for n in range(CERTIFICATES):
        born = f"19{70 + n // 500}0101"
        RosterEntryFactory(
            plan=batch.plan,
            seq=n + 2,
            name=f"考生{n:04d}",
            id_number=id_number(n % 500, born=born),
            result="passed",
            total_score=80,
        )
    return batch


def _pdf_pages(name: str) -> list[str]:
    with default_storage.open(name, "rb") as handle:
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=handle.read(), capture_output=True, check=True
        ).stdout.decode()
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()  # pdftotext ends every page with a form feed
    return pages


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_r_k1_batch_survives_a_killed_worker_with_one_page_per_certificate(workers, ent_a, alice):
    prefix_for(ent_a)
    result_batch = _big_approved_batch(ent_a)
    first = workers["start"]("first", "--pool=solo")
    _wait_ready(first)

    batch = services.issue_certificates(result_batch=result_batch, actor=alice, issued_on=ISSUED_ON)
    parts = list(batch.parts.order_by("index"))
    assert [p.size for p in parts] == [250, 250, 100]

    # Kill once a part is stored and another is being rendered, before the batch is whole. The
    # order of the parts is the broker's: FIFO on Redis, not always on the filesystem transport.
    deadline = time.monotonic() + KILL_DEADLINE_S
    while True:
        state = list(BatchPart.objects.filter(batch=batch))
        rendering = [p.index for p in state if p.claimed_at and not p.pdf]
        if any(p.pdf for p in state) and rendering:
            break
        assert first["process"].poll() is None, f"the worker exited:\n{_log(first)}"
        assert time.monotonic() < deadline, f"no part rendered in time:\n{_log(first)}"
        time.sleep(0.02)
    _kill(first["process"], signal.SIGKILL)
    first["process"].wait(timeout=30)
    killed_at = time.monotonic()
    assert IssueBatch.objects.get(pk=batch.pk).status == IssueStatus.RENDERING
    before = {
        p.index: (p.pdf.name, p.rendered_at) for p in BatchPart.objects.filter(batch=batch) if p.pdf
    }
    assert before and not set(rendering) & set(before), (before, rendering)

    second = workers["start"](
        "second",
        "--pool=prefork",
        "--concurrency=2",
        CERTIFICATE_PART_CLAIM_SECONDS=str(CLAIM_SECONDS),
    )
    deadline = time.monotonic() + BATCH_DEADLINE_S
    while IssueBatch.objects.get(pk=batch.pk).status != IssueStatus.READY:
        assert second["process"].poll() is None, f"the worker exited:\n{_log(second)}"
        assert time.monotonic() < deadline, (
            f"batch not ready {BATCH_DEADLINE_S} s after the restart; parts: "
            f"{list(BatchPart.objects.filter(batch=batch).values('index', 'pdf', 'claimed_at'))}"
            f"\nsecond worker:\n{_log(second)}"
        )
        time.sleep(0.2)
    recovered_in = time.monotonic() - killed_at

    batch.refresh_from_db()
    certificates = list(Certificate.objects.filter(batch=batch).order_by("position"))
    assert len(certificates) == CERTIFICATES
    assert batch.pages == CERTIFICATES
    pages = _pdf_pages(batch.pdf.name)
    assert len(pages) == CERTIFICATES
    # Roster order: page i is the certificate at position i, and no number is printed twice.
    for page, certificate in zip(pages, certificates, strict=True):
        assert certificate.number in page, (certificate.position, page[:200])
        assert certificate.holder_name in page
    text = "".join(pages)
    assert all(text.count(c.number) == 1 for c in certificates)
    # The parts stored before the kill were joined as they were, not rendered again.
    after = {p.index: (p.pdf.name, p.rendered_at) for p in BatchPart.objects.filter(batch=batch)}
    part_files = default_storage.listdir("certificates/parts")[1]
    for index, stored in before.items():
        assert after[index] == stored
        prefix = f"batch-{batch.pk}-part-{index:04d}"
        assert len([name for name in part_files if name.startswith(prefix)]) == 1, part_files
    assert "render_part" in _log(second)
    assert recovered_in < BATCH_DEADLINE_S
