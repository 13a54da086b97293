"""Fixtures of the fault tests: the Celery app of this process talks to a real broker."""

from collections.abc import Iterator

import pytest

from portal.celery import app as celery_app
from portal.core import outbox
from tests.test_celery_worker import _point_celery_at


@pytest.fixture
def real_broker() -> Iterator:
    """Tasks are published, not run in this process; `point(url, options)` picks the broker.

    The app's broker, eagerness and the outbox's memory of broker faults are restored after.
    """
    saved = (
        celery_app.conf.broker_url,
        celery_app.conf.broker_transport_options,
        celery_app.conf.task_always_eager,
    )
    celery_app.conf.task_always_eager = False
    outbox.reset_faults()
    try:
        yield _point_celery_at
    finally:
        _point_celery_at(saved[0], saved[1])
        celery_app.conf.task_always_eager = saved[2]
        outbox.reset_faults()
