"""R-K1 with real workers: a worker killed mid-batch costs only the part it was printing.

A real `celery worker` prints a 600-certificate batch (three parts: 250, 250, 100 pages). It is
killed with SIGKILL (no warm shutdown, no acknowledgement: a crash or an OOM kill) once a part is
stored and while it renders another. A new worker, whose claims go stale after 3 s,
resumes at start (worker_ready → resume_batches); the dead worker's part is rendered again
once its claim is stale. The batch PDF must have exactly one page per certificate, in roster
order, and a part finished before the kill is not rendered again.
"""

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.core.files.storage import default_storage

from assessments.models import ResultBatch
from certificates.issuance import services
from certificates.models import BatchPart, Certificate, IssueBatch, IssueStatus
from portal.celery import app as celery_app
from tests.assessments.factories import RosterEntryFactory, id_number
from tests.certificates.factories import ISSUED_ON, approved_batch, prefix_for
from tests.support.pdfs import stored_pdf_pages
from tests.support.processes import Worker

CERTIFICATES = 600
CLAIM_SECONDS = 3
READY_DEADLINE_S = 90
STOP_DEADLINE_S = 30
KILL_DEADLINE_S = 120
BATCH_DEADLINE_S = 180


@pytest.fixture
def workers(isolated_broker, tmp_path: Path) -> Iterator[dict]:
    """Starts workers on the test database and the isolated broker; stops them all at the end."""
    celery_app.control.purge()
    broker = isolated_broker["CELERY_BROKER_URL"]
    broker_env = {k: v for k, v in isolated_broker.items() if k != "CELERY_BROKER_URL"}
    started: list[Worker] = []

    def start(name: str, *pool: str, **env: str) -> Worker:
        worker = Worker(
            tmp_path / f"{name}.log",
            broker,
            *pool,
            hostname="test",
            stop_deadline_s=STOP_DEADLINE_S,
            **{**broker_env, **env},
        )
        started.append(worker)
        return worker

    try:
        yield {"start": start}
    finally:
        for worker in started:
            worker.stop()
        celery_app.control.purge()
        if broker.startswith("redis"):
            # The killed worker's message waits in kombu's unacked set for the visibility
            # timeout (an hour); it would then be handed to whatever worker uses this broker.
            redis.Redis.from_url(broker).delete("unacked", "unacked_index")


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


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_r_k1_batch_survives_a_killed_worker_with_one_page_per_certificate(workers, ent_a, alice):
    prefix_for(ent_a)
    result_batch = _big_approved_batch(ent_a)
    first = workers["start"]("first", "--pool=solo")
    first.wait_for_log("ready.", READY_DEADLINE_S)

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
        assert first.alive(), f"the worker exited:\n{first.text()}"
        assert time.monotonic() < deadline, f"no part rendered in time:\n{first.text()}"
        time.sleep(0.02)
    first.kill()
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
        assert second.alive(), f"the worker exited:\n{second.text()}"
        assert time.monotonic() < deadline, (
            f"batch not ready {BATCH_DEADLINE_S} s after the restart; parts: "
            f"{list(BatchPart.objects.filter(batch=batch).values('index', 'pdf', 'claimed_at'))}"
            f"\nsecond worker:\n{second.text()}"
        )
        time.sleep(0.2)
    recovered_in = time.monotonic() - killed_at

    batch.refresh_from_db()
    certificates = list(Certificate.objects.filter(batch=batch).order_by("position"))
    assert len(certificates) == CERTIFICATES
    assert batch.pages == CERTIFICATES
    pages = stored_pdf_pages(batch.pdf.name)
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
    assert "render_part" in second.text()
    assert recovered_in < BATCH_DEADLINE_S
