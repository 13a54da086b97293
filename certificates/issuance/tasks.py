"""Printing a batch: print_batch fans out one render_part per missing part; the last part to
finish joins them. Every task is safe to run twice. A part is claimed while it renders; a claim
older than CERTIFICATE_PART_CLAIM_SECONDS is presumed lost with its worker. resume_batches
(beat, every minute, and at every worker start) dispatches whatever is neither rendered nor
claimed, so a worker killed mid-batch costs only the parts it had not finished. Tasks are sent
through the outbox (portal.core.dispatch): a broker fault in the middle of a fan-out loses none.
"""

import logging

from celery import shared_task
from celery.signals import worker_ready

from certificates.issuance import services
from certificates.models import IssueBatch, IssueStatus
from portal.core.dispatch import enqueue_on_commit

logger = logging.getLogger(__name__)


@shared_task(name="certificates.tasks.print_batch", acks_late=True)
def print_batch(batch_id: int) -> int:
    """Dispatch the missing parts of a batch (or join it when none is missing)."""
    missing = services.parts_to_render(batch_id=batch_id)
    claimed = services.parts_claimed(batch_id=batch_id)
    if not missing and not claimed:
        services.batch_assemble(batch_id=batch_id)
        return 0
    for part_id in missing:
        enqueue_on_commit(render_part, part_id)
    # A part another task holds is looked at again when its claim would go stale: if that task
    # died with its worker, nothing else dispatches the part before the beat's next resume.
    for part_id, seconds in claimed:
        enqueue_on_commit(render_part, part_id, countdown=seconds + 1)
    return len(missing)


@shared_task(name="certificates.tasks.render_part", acks_late=True)
def render_part(part_id: int) -> None:
    outcome = services.part_render(part_id=part_id)
    if outcome.busy_for is not None:
        # Another task holds the claim: look again when it would have gone stale.
        enqueue_on_commit(render_part, part_id, countdown=outcome.busy_for + 1)
        return
    if outcome.batch_id is not None:
        services.batch_progress(batch_id=outcome.batch_id)
        services.batch_assemble(batch_id=outcome.batch_id)


@shared_task(name="certificates.tasks.resume_batches")
def resume_batches() -> int:
    """Dispatch again every batch still printing; parts being rendered are left alone."""
    count = 0
    for batch_id in IssueBatch.objects.filter(status=IssueStatus.RENDERING).values_list(
        "pk", flat=True
    ):
        enqueue_on_commit(print_batch, batch_id)
        count += 1
    return count


@worker_ready.connect
def _resume_after_start(sender=None, **kwargs) -> None:
    """A worker (re)started: whatever was printing when the last one stopped goes on now."""
    try:
        enqueue_on_commit(resume_batches)
    except Exception:  # a database fault must not stop the worker from starting (beat resumes)
        logger.warning("could not dispatch the certificate batches to resume", exc_info=True)
