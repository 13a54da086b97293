"""With Redis stopped or hanging, users still submit and approve filings; the receipts the
approvals call for wait in the outbox, and a real worker makes them once Redis is back.

Redis here is the portal's broker and its cache, both pointed at a port of the test's own:
nothing listening (stopped), then a server that accepts and never answers (hanging), then a
`redis-server` started on that same port (Redis returns). The worker is started before Redis
returns: it must wait for the broker and lose nothing. The shared Redis is not touched.
"""

import time
from pathlib import Path

import pytest
from django.contrib.messages import constants as message_levels

from filings.models import Filing, FilingStatus
from filings.review.tasks import render_filing_receipt
from portal.core import outbox
from portal.core.models import OutboxMessage
from tests.support.factories import complete_filing
from tests.support.pdfs import stored_pdf_text
from tests.support.processes import (
    RedisServer,
    SilentServer,
    Worker,
    free_port,
    redis_broker_options,
    wait_until,
)

# Not a timing assertion: a request that takes this long is hung on the broker.
HANG_GUARD_S = 15
RECEIPT_DEADLINE_S = 60


def _redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
        }
    }


def _post(client, user, url: str, data: dict, timings: dict):
    client.force_login(user)
    started = time.monotonic()
    response = client.post(url, data, follow=True)
    took = time.monotonic() - started
    timings[url] = round(took, 2)
    assert took < HANG_GUARD_S, f"{url} hung for {took:.1f} s"
    assert response.status_code == 200
    return response


def _successes(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level == message_levels.SUCCESS]


def _submit_and_approve(client, filing: Filing, alice, dora, carl) -> dict:
    """The enterprise submits, the district forwards, the city approves: every page says so."""
    timings: dict[str, float] = {}

    def step(user, action: str, data: dict):
        return _post(client, user, f"/filings/{filing.pk}/{action}/", data, timings)

    response = step(alice, "submit", {"pledge": "on"})
    assert _successes(response), response.content.decode()[:2000]
    assert Filing.objects.get(pk=filing.pk).status == FilingStatus.DISTRICT_REVIEW
    forward = {"opinion": "材料齐全，同意上报。", "action": "forward"}
    response = step(dora, "district-review", forward)
    assert _successes(response)
    assert Filing.objects.get(pk=filing.pk).status == FilingStatus.CITY_REVIEW
    response = step(carl, "decide", {"decision": "approve", "note": "同意备案。"})
    filing.refresh_from_db()
    assert filing.status == FilingStatus.APPROVED, [str(m) for m in response.context["messages"]]
    assert filing.number and filing.number in " ".join(_successes(response))
    assert filing.number in response.content.decode()
    return timings


def _receipt_message(filing: Filing) -> OutboxMessage:
    return OutboxMessage.objects.get(task_name=render_filing_receipt.name, args=[filing.pk])


def _last_message_pk() -> int:
    return OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _tried_since(pk: int) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(pk__gt=pk, attempts__gte=1).order_by("pk"))


def _stored_receipt(filing: Filing) -> str:
    return Filing.objects.filter(pk=filing.pk).values_list("receipt_pdf", flat=True).get()


def _assert_receipt_made_by(worker: Worker, filing: Filing) -> None:
    wait_until(
        lambda: _stored_receipt(filing),
        "the receipt PDF",
        RECEIPT_DEADLINE_S,
        explain=worker.text,
        step=0.25,
    )
    filing.refresh_from_db()
    assert filing.number in stored_pdf_text(filing.receipt_pdf.name)
    assert "render_filing_receipt" in worker.text() and "succeeded" in worker.text()
    assert _receipt_message(filing).sent_at is not None


def _ready_filing(enterprise, operator) -> Filing:
    # On the pilot list: the city decides without an expert on-site evaluation (R-F6).
    enterprise.on_pilot_list = True
    enterprise.save(update_fields=["on_pilot_list"])
    return complete_filing(enterprise, uploaded_by=operator)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_or_hanging_filings_are_approved_and_their_receipts_made_when_it_returns(
    client, settings, real_broker, ent_a, ent_b, alice, bob, dora, fred, carl, tmp_path: Path
):
    port = free_port()
    redis = RedisServer(port, tmp_path / "redis.log")  # started only when Redis "returns"
    real_broker(redis.url, redis_broker_options())
    settings.CACHES = _redis_cache(redis.url)  # the cache is the same Redis, down as well
    hung = None
    worker = None
    try:
        # Redis stopped: nothing listens on its port.
        stopped = _ready_filing(ent_a, alice)
        before = _last_message_pk()
        timings = _submit_and_approve(client, stopped, alice, dora, carl)
        print(f"\nRedis stopped, seconds per request: {timings}")
        assert _receipt_message(stopped).sent_at is None
        # The first send after a commit failed and said why; the messages after it (the
        # receipt, the e-mail sender of the notices) wait without trying a broker just failed.
        tried = _tried_since(before)
        assert len(tried) == 1 and tried[0].last_error

        # Redis hanging: it accepts connections and never answers. (A later request: the
        # outbox no longer waits for a broker that failed moments ago.)
        outbox.reset_faults()
        hung = SilentServer(port)
        hanging = _ready_filing(ent_b, bob)
        before = _last_message_pk()
        timings = _submit_and_approve(client, hanging, bob, fred, carl)
        print(f"Redis hanging, seconds per request: {timings}")
        assert _receipt_message(hanging).sent_at is None
        tried = _tried_since(before)
        assert len(tried) == 1 and "Timeout" in tried[0].last_error
        hung.close()

        # A worker that starts while the broker is down waits for it and takes nothing from
        # the outbox meanwhile.
        worker = Worker(tmp_path / "worker.log", redis.url)
        worker.wait_for_log("Cannot connect to redis")
        receipts = OutboxMessage.objects.filter(task_name=render_filing_receipt.name)
        assert receipts.filter(sent_at__isnull=True).count() == 2
        assert not _stored_receipt(stopped) and not _stored_receipt(hanging)

        # Redis returns: the worker connects, relays the outbox and makes both receipts.
        redis.start()
        _assert_receipt_made_by(worker, stopped)
        _assert_receipt_made_by(worker, hanging)
        assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    finally:
        if hung is not None:
            hung.close()
        if worker is not None:
            worker.stop()
        redis.stop()
