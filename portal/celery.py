"""The Celery app. Configuration is the CELERY_* part of portal/settings.py."""

import logging
import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
logger = logging.getLogger(__name__)


@app.on_after_configure.connect
def _ensure_filesystem_queue(sender, **kwargs) -> None:
    """kombu's filesystem transport expects its folders to exist."""
    from django.conf import settings

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    for key in ("data_folder_in", "data_folder_out", "control_folder", "processed_folder"):
        if key in options:
            os.makedirs(options[key], exist_ok=True)


@after_setup_logger.connect
@after_setup_task_logger.connect
def _mask_id_numbers_in_worker_logs(logger=None, **kwargs) -> None:
    """A worker logs through Celery's own handlers, not settings.LOGGING: they get the same
    filter, so no ID number reaches a worker's log either (PIPL)."""
    from portal.core.masking import MaskIDNumbersFilter

    for handler in getattr(logger, "handlers", []):
        if not any(isinstance(f, MaskIDNumbersFilter) for f in handler.filters):
            handler.addFilter(MaskIDNumbersFilter())


@worker_ready.connect
def _relay_outbox_at_start(sender=None, **kwargs) -> None:
    """A worker just reached the broker: what the outbox holds is sent now, not at the next beat.

    Sent directly, not through the outbox: the relay is what empties it, and beat repeats it.
    """
    from portal.core.tasks import relay_outbox

    try:
        relay_outbox.delay()
    except Exception:  # a broker fault must not stop the worker from starting
        logger.warning("could not start the outbox relay", exc_info=True)
