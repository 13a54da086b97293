"""Personas (after healthchecks): alice operates 南山 enterprise A; bob operates 福田 enterprise B;
dora reviews 南山 (district), fred reviews 福田, carl is the city reviewer and admin, erin is an
expert, sam a supervisor; olga reviews another city. Each test gets a fresh world."""

import pytest

from portal import workdays
from tests.factories import EnterpriseFactory, make_member, make_world
from tests.support.celery import isolated_broker, real_broker, worker  # noqa: F401 (fixtures)


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


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def ent_a(world):
    return EnterpriseFactory(name="南山精密机械有限公司", district=world["nanshan"])


@pytest.fixture
def ent_b(world):
    return EnterpriseFactory(name="福田电子科技有限公司", district=world["futian"])


@pytest.fixture
def alice(ent_a):
    return make_member("alice", "enterprise", enterprise=ent_a)


@pytest.fixture
def bob(ent_b):
    return make_member("bob", "enterprise", enterprise=ent_b)


@pytest.fixture
def dora(world):
    return make_member("dora", "district", bureau=world["nanshan"])


@pytest.fixture
def fred(world):
    return make_member("fred", "district", bureau=world["futian"])


@pytest.fixture
def carl(world):
    return make_member("carl", "city", bureau=world["city"], is_admin=True)


@pytest.fixture
def olga(world):
    return make_member("olga", "city", bureau=world["other_city"])


@pytest.fixture
def erin(world):
    return make_member("erin", "expert", bureau=world["city"])


@pytest.fixture
def sam(world):
    return make_member("sam", "supervisor", bureau=world["city"])
