"""R-K1: a worker killed while it prints a certificate batch costs nothing but time.

The batch (260 certificates: parts of 250 and 10 pages) goes out through the outbox to a real
worker with two pool processes, which render both parts at once. The worker is killed with
SIGKILL (no warm shutdown, no acknowledgement: a crash or an OOM kill) once the small part is
stored and while the big one is being rendered. A new worker resumes the batch at start; the
dead worker's claim goes stale after CLAIM_SECONDS and the big part is rendered again. The batch
PDF must then hold each certificate exactly once, in roster order, one page each.
"""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from assessments.models import ResultBatch
from certificates.issuance import services
from certificates.issuance.tasks import print_batch, render_part
from certificates.models import BatchPart, Certificate, IssueBatch, IssueStatus
from portal.core.models import OutboxMessage
from tests.assessments.factories import RosterEntryFactory, id_number
from tests.certificates.factories import ISSUED_ON, approved_batch, prefix_for
from tests.support.pdfs import stored_pdf_pages
from tests.support.processes import RedisServer, Worker, free_port, redis_broker_options, wait_until

CERTIFICATES = services.PART_SIZE + 10
CLAIM_SECONDS = 3
KILL_DEADLINE_S = 90
BATCH_DEADLINE_S = 120


def _approved_results(enterprise) -> ResultBatch:
    batch = approved_batch(enterprise, "failed")
    for n in range(CERTIFICATES):
        RosterEntryFactory(
            plan=batch.plan,
            seq=n + 2,
            name=f"考生{n:04d}",
            id_number=id_number(n, born="19800101"),
            result="passed",
            total_score=80,
        )
    return batch


def _parts(batch: IssueBatch) -> dict[int, BatchPart]:
    return {part.index: part for part in BatchPart.objects.filter(batch=batch)}


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_r_k1_a_batch_whose_worker_is_killed_mid_render_completes_with_each_certificate_once(
    real_broker, ent_a, alice, tmp_path: Path
):
    prefix_for(ent_a)
    result_batch = _approved_results(ent_a)
    redis = RedisServer(free_port(), tmp_path / "redis.log")
    redis.start()
    real_broker(redis.url, redis_broker_options())
    workers: list[Worker] = []
    try:
        first = Worker(tmp_path / "first.log", redis.url, "--pool=prefork", "--concurrency=2")
        workers.append(first)
        first.wait_for_log("ready.")

        batch = services.issue_certificates(
            result_batch=result_batch, actor=alice, issued_on=ISSUED_ON
        )
        assert OutboxMessage.objects.filter(task_name=print_batch.name, args=[batch.pk]).exists()

        def small_part_stored_big_one_rendering() -> bool:
            assert IssueBatch.objects.get(pk=batch.pk).status == IssueStatus.RENDERING, (
                "the batch was printed before the worker could be killed"
            )
            parts = _parts(batch)
            return bool(parts[1].rendered_at and parts[0].claimed_at and not parts[0].rendered_at)

        wait_until(
            small_part_stored_big_one_rendering,
            "the small part stored while the big one renders",
            KILL_DEADLINE_S,
            explain=first.text,
            step=0.02,
        )
        first.kill()
        before = _parts(batch)
        assert before[0].rendered_at is None
        stored_before = (before[1].pdf.name, before[1].rendered_at)

        second = Worker(
            tmp_path / "second.log",
            redis.url,
            CERTIFICATE_PART_CLAIM_SECONDS=str(CLAIM_SECONDS),
        )
        workers.append(second)
        wait_until(
            lambda: IssueBatch.objects.get(pk=batch.pk).status == IssueStatus.READY,
            "the batch printed after the restart",
            BATCH_DEADLINE_S,
            explain=lambda: f"{list(_parts(batch).values())}\n{second.text()}",
            step=0.2,
        )
    finally:
        for worker in workers:
            worker.stop()
        redis.stop()

    batch.refresh_from_db()
    certificates = list(Certificate.objects.filter(batch=batch).order_by("position"))
    numbers = [certificate.number for certificate in certificates]
    assert len(certificates) == CERTIFICATES
    assert len(set(numbers)) == CERTIFICATES and all(numbers)
    # Each part once; the one stored before the kill was joined as it was, not rendered again.
    after = _parts(batch)
    assert sorted(after) == [0, 1]
    assert (after[1].pdf.name, after[1].rendered_at) == stored_before
    assert after[0].rendered_at is not None
    # One page per certificate, in roster order, no number printed twice.
    with default_storage.open(batch.pdf.name, "rb") as handle:
        assert len(PdfReader(handle).pages) == CERTIFICATES == batch.pages
    pages = stored_pdf_pages(batch.pdf.name)
    assert len(pages) == CERTIFICATES
    for page, certificate in zip(pages, certificates, strict=True):
        assert certificate.number in page and certificate.holder_name in page, certificate.position
    text = "".join(pages)
    assert all(text.count(number) == 1 for number in numbers)
    # The work went through the outbox, and the second worker rendered the lost part.
    assert OutboxMessage.objects.filter(task_name=render_part.name, sent_at__isnull=False).exists()
    assert "render_part" in second.text()
