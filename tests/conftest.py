"""Fixtures of every test: each test gets a fresh world and fast, isolated services. The shared
fixtures of tests/support/ (personas, Celery, the bounded page, the Redis cache) are imported
here so every test can name them."""

import pytest

from portal.core import workdays
from tests.support.celery import isolated_broker, real_broker, worker  # noqa: F401 (fixtures)
from tests.support.pages import page_within  # noqa: F401 (fixture)
from tests.support.personas import (  # noqa: F401 (fixtures)
    alice,
    bob,
    carl,
    dora,
    ent_a,
    ent_b,
    erin,
    fred,
    olga,
    sam,
    world,
)
from tests.support.provinces import gina, shan, shandong  # noqa: F401 (fixtures)
from tests.support.redis import redis_cache  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2 is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Tasks run in the test process; only tests/test_celery_worker.py talks to a broker."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached answers live in the cache: each test starts without."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _client_login_with_a_request(monkeypatch):
    """django-axes checks every authenticate() against the client's address, so it needs the
    request, which Django's test Client.login() does not pass: give it one from 127.0.0.1.
    Logins still go through the lockout (tests/core/test_auth_lockout.py)."""
    from django.test import Client, RequestFactory

    original = Client.login

    def login(self, **credentials):
        credentials.setdefault("request", RequestFactory().post("/accounts/login/"))
        return original(self, **credentials)

    monkeypatch.setattr(Client, "login", login)


@pytest.fixture(autouse=True)
def _private_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    workdays.clear_cache()
    yield
    workdays.clear_cache()
