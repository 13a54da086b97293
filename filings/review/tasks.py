"""Celery tasks of filings: they take ids, call one service and own their retries."""

import logging

from celery import shared_task
from django.core.exceptions import ImproperlyConfigured

from filings.models import Filing, FilingStatus
from filings.review.documents import filing_receipt_pdf
from filings.review.services import filing_store_receipt

logger = logging.getLogger(__name__)


@shared_task(
    name="filings.tasks.render_filing_receipt",
    acks_late=True,
    autoretry_for=(Exception,),
    # Retrying cannot bring back a deleted filing or install a missing font.
    dont_autoretry_for=(Filing.DoesNotExist, ImproperlyConfigured),
    retry_backoff=10,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=6,
)
def render_filing_receipt(filing_id: int) -> None:
    """R-F7: render the receipt of an approved filing once and store it."""
    filing = Filing.objects.select_related("enterprise__district__parent").get(pk=filing_id)
    if filing.status != FilingStatus.APPROVED:
        logger.warning("No receipt for filing %s: it is %s, not approved", filing_id, filing.status)
        return
    if filing.receipt_pdf:
        return
    filing_store_receipt(filing_id=filing_id, pdf=filing_receipt_pdf(filing))
