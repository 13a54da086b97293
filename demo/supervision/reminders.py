"""Demo data of the supervision area 'reminder' (called by supervision/demo.py in order).

Runs the reminder scan on the demo's data and delivers the in-portal reminders at once, so the
demo users find them on their desk right after `make run`. The e-mails stay pending: the worker
started by `make run` sends them with the configured backend (the console by default), and a
mail fault there cannot break the demo's loading.
"""

import logging

from supervision.models import Channel
from supervision.reminders.delivery import reminders_scan, reminders_send

logger = logging.getLogger(__name__)


def seed(*, enterprises: dict, users: dict, today, ctx: dict) -> None:
    """Add this area's demo rows; `ctx` carries what earlier areas made (e.g. ctx["draw"])."""
    created = reminders_scan(today=today)
    delivered = reminders_send(limit=10_000, channel=Channel.IN_APP)
    ctx["reminders"] = {"deliveries": created, "notifications": delivered}
