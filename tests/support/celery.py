"""The Celery fixtures: a broker only the test uses, a real worker process on the test database,
and the app of this process publishing to a real broker (tests/conftest.py makes them
available everywhere)."""

import contextlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from portal.celery import app as celery_app
from portal.core import outbox
from tests.support.processes import Worker, point_celery_at

WORKER_DEADLINE_S = 60
STOP_DEADLINE_S = 30


@pytest.fixture
def isolated_broker(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A broker only this test uses; yields the environment that points a worker at it. A
    developer's running worker cannot take the test's tasks."""
    if settings.REDIS_URL:
        parts = urlsplit(settings.REDIS_URL)
        base_db = int(parts.path.strip("/") or 0)
        url = urlunsplit(parts._replace(path=f"/{(base_db + 8) % 16}"))
        options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
        env = {"CELERY_BROKER_URL": url}
    else:
        folder = tmp_path / "broker"
        url = "filesystem://localhost//"
        # The layout portal/settings.py gives CELERY_FILESYSTEM_DIR, which the worker is given.
        folders = {
            key: folder / name
            for key, name in [
                ("data_folder_in", "queue"),
                ("data_folder_out", "queue"),
                ("control_folder", "control"),
                ("processed_folder", "processed"),
            ]
        }
        for path in folders.values():
            path.mkdir(parents=True, exist_ok=True)
        options = {key: str(path) for key, path in folders.items()} | {"store_processed": False}
        env = {"CELERY_BROKER_URL": url, "CELERY_FILESYSTEM_DIR": str(folder)}
    saved = (
        celery_app.conf.broker_url,
        celery_app.conf.broker_transport_options,
        celery_app.conf.task_always_eager,
    )
    celery_app.conf.task_always_eager = False
    point_celery_at(url, options)
    try:
        yield env
    finally:
        point_celery_at(saved[0], saved[1])
        celery_app.conf.task_always_eager = saved[2]


@contextlib.contextmanager
def running_worker(
    broker_env: dict[str, str], log: Path, *, hostname: str, **env: str
) -> Iterator[Worker]:
    """A real `celery worker` process (solo pool) on the test database and the broker of
    `broker_env` (which wins over `env`); stopped with a warm shutdown."""
    environment = {**env, **broker_env}
    broker = environment.pop("CELERY_BROKER_URL")
    started = Worker(log, broker, hostname=hostname, stop_deadline_s=STOP_DEADLINE_S, **environment)
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture
def worker(isolated_broker: dict[str, str], tmp_path: Path) -> Iterator[Worker]:
    """A real worker on the test's broker."""
    with running_worker(isolated_broker, tmp_path / "worker.log", hostname="test") as started:
        yield started


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
        yield point_celery_at
    finally:
        point_celery_at(saved[0], saved[1])
        celery_app.conf.task_always_eager = saved[2]
        outbox.reset_faults()
