"""After PostgreSQL restarts, the portal serves the next requests by itself (CONN_HEALTH_CHECKS).

The portal runs as it does behind gunicorn: a WSGI server whose one thread keeps its database
connection between requests (CONN_MAX_AGE). A restart ends every connection of its clients; the
test does that to every backend of the test database (pg_terminate_backend), and in CI, where it
can (root, pg_ctlcluster, PostgreSQL on this host), restarts the cluster for real. Requests that
read and write (a login, a list page, the public directory) must then succeed without
restarting the portal.

PostgreSQL only: SQLite has no server to lose. CI always runs on PostgreSQL (.ci/run sets
DATABASE_URL=postgres://…), so the skip below never fires there, and a skip would fail CI.
"""

import http.cookiejar
import os
import shutil
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import psycopg2
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections

from filings.models import Filing
from tests.support.factories import approved_today
from tests.support.processes import wait_until

POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = pytest.mark.skipif(not POSTGRES, reason="PostgreSQL only (CI always has it)")

RESTART_DEADLINE_S = 60
PASSWORD = "correct horse battery staple"


def _can_restart_the_cluster() -> bool:
    """CI on a machine of its own: the real thing. Elsewhere the server is shared: not done."""
    host = settings.DATABASES["default"].get("HOST") or ""
    return (
        os.environ.get("CI", "").lower() in {"1", "true", "yes"}
        and os.geteuid() == 0
        and shutil.which("pg_ctlcluster") is not None
        and Path("/etc/postgresql").is_dir()
        and host in {"127.0.0.1", "localhost"}
    )


def _admin_connection():
    db = settings.DATABASES["default"]
    return psycopg2.connect(
        dbname="postgres",
        user=db["USER"],
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        connect_timeout=5,
    )


def _terminate_backends(dbname: str) -> int:
    admin = _admin_connection()
    try:
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [dbname],
            )
            return cursor.fetchone()[0]
    finally:
        admin.close()


def _restart_cluster() -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        timeout=RESTART_DEADLINE_S,
    )

    def accepts() -> bool:
        try:
            _admin_connection().close()
            return True
        except psycopg2.OperationalError:
            return False

    wait_until(accepts, "PostgreSQL after the restart", RESTART_DEADLINE_S, step=0.2)


class _Quiet(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


@pytest.fixture
def portal_server() -> Iterator[str]:
    """The portal in one server thread that keeps its database connection between requests."""
    server: WSGIServer = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_Quiet)

    def serve() -> None:
        try:
            server.serve_forever(poll_interval=0.1)
        finally:
            connections.close_all()  # this thread's connection, before the database is dropped

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


class _Browser:
    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, path: str) -> tuple[int, str, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, data: dict) -> tuple[int, str, str]:
        token = next(c.value for c in self.cookies if c.name == settings.CSRF_COOKIE_NAME)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path}
        )
        return self._open(request)

    def _open(self, request) -> tuple[int, str, str]:
        """Status, final path (after redirects) and page."""
        try:
            with self.opener.open(request, timeout=30) as response:
                path = urllib.parse.urlsplit(response.geturl()).path
                return response.status, path, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, request.selector, error.read().decode(errors="replace")

    def log_in(self, username: str, password: str) -> None:
        status, _path, page = self.get("/accounts/login/")
        assert status == 200, page[:3000]
        status, path, page = self.post(
            "/accounts/login/", {"username": username, "password": password}
        )
        assert status == 200, page[:3000]
        assert not path.startswith("/accounts/login/"), page[:3000]  # let in, not sent back


def _pages_work(browser: _Browser, filing: Filing) -> None:
    """A page that reads the session and the user's filings, the public directory, a login."""
    status, path, page = browser.get("/filings/")
    assert (status, path) == (200, "/filings/"), page[:3000]
    assert filing.number in page
    status, path, page = browser.get("/directory/")
    assert status == 200, page[:3000]
    assert filing.enterprise.name in page
    _Browser(browser.base).log_in("alice", PASSWORD)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_after_a_postgres_restart_the_portal_serves_the_next_requests_by_itself(
    portal_server, ent_a, alice
):
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0  # connections outlive requests
    alice.set_password(PASSWORD)
    alice.save(update_fields=["password"])
    filing = approved_today(ent_a)
    browser = _Browser(portal_server)
    browser.log_in("alice", PASSWORD)
    _pages_work(browser, filing)  # the server thread now holds an open connection

    dbname = connection.settings_dict["NAME"]
    try:
        if _can_restart_the_cluster():
            _restart_cluster()
        else:
            # What a restart does to the clients: every connection of the database ends.
            assert _terminate_backends(dbname) >= 2  # the server's and this test's own
    finally:
        connection.close()  # this test's own connection is opened again on next use

    _pages_work(browser, filing)
    assert Filing.objects.filter(enterprise=ent_a).count() == 1
