from unittest import mock

from filings.models import FilingStatus
from filings.review import services
from portal.core.models import OutboxMessage
from tests.support.factories import FilingFactory


def test_a_broker_fault_does_not_undo_an_approval_and_keeps_its_receipt_in_the_outbox(
    carl, ent_a, django_capture_on_commit_callbacks, caplog
):
    filing = FilingFactory(enterprise=ent_a, status="city_review", skip_onsite=True)
    with (
        mock.patch(
            "filings.review.tasks.render_filing_receipt.delay",
            side_effect=ConnectionError("redis down"),
        ) as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.filing_approve(filing=filing, actor=carl)
    filing.refresh_from_db()
    assert publish.called
    assert filing.status == FilingStatus.APPROVED
    assert filing.number
    assert "render_filing_receipt" in caplog.text
    message = OutboxMessage.objects.get(args=[filing.pk])
    assert message.sent_at is None and "redis down" in message.last_error
