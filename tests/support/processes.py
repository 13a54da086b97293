"""Real processes for the tests: Celery workers on the test database, a Redis of the test's own,
a TCP server that never answers (a hung Redis).

Each test owns what it starts and stops it by its process id; nothing here touches the shared
Redis or PostgreSQL servers.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import kombu.pools
from django.conf import settings
from django.db import connection

from portal.celery import app as celery_app

READY_DEADLINE_S = 60
STOP_DEADLINE_S = 20


def database_url() -> str:
    """The test database (not the developer's), as DATABASE_URL for another process."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return "sqlite:///" + str(Path(db["NAME"]).resolve())
    assert db["ENGINE"].endswith("postgresql"), db["ENGINE"]
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or "5432"
    return f"postgres://{credentials}@{host}:{port}/{quote(db['NAME'], safe='')}"


def point_celery_at(url: str, options: dict) -> None:
    """Send this process's .delay() to another broker; pooled connections are dropped."""
    celery_app.conf.broker_url = url
    celery_app.conf.broker_transport_options = options
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    celery_app._pool = None
    amqp = celery_app.__dict__.get("amqp")
    if amqp is not None:
        amqp._producer_pool = None
    # kombu keeps producer pools in a process-wide registry keyed by the broker URL: one left
    # from an earlier test on the same URL would hand out connections from a closed pool.
    kombu.pools.reset()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_broker_options() -> dict:
    """The transport options the portal uses for a Redis broker (portal/settings.py)."""
    if settings.CELERY_BROKER_URL.startswith("redis"):
        return dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    timeout = int(os.environ.get("CELERY_BROKER_SOCKET_TIMEOUT", "5"))
    return {
        "visibility_timeout": 3600,
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "socket_keepalive": True,
        "retry_on_timeout": False,
    }


def wait_until(condition, what: str, deadline_s: float, *, explain=lambda: "", step=0.1):
    deadline = time.monotonic() + deadline_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {deadline_s} s\n{explain()}")
        time.sleep(step)


def _stop(process: subprocess.Popen, *, group: bool, deadline_s: float = STOP_DEADLINE_S) -> None:
    """SIGTERM to the process (a warm shutdown: a worker ends its own pool), then SIGKILL to it,
    or to its whole group, when it lingers."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=deadline_s)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                if group:
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    process.kill()
            process.wait()
    if group:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # a pool child left behind


class RedisServer:
    """`redis-server` on a port of its own, without persistence; started when the test says."""

    def __init__(self, port: int, log: Path):
        self.port = port
        self.log = log
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed (CI starts Redis with it: .ci/run)"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--logfile", str(self.log)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        wait_until(self.answers, f"redis-server on port {self.port}", READY_DEADLINE_S)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process, group=False)


class SilentServer:
    """Accepts TCP connections on loopback and never answers, like a hung Redis."""

    def __init__(self, port: int = 0):
        self.server = socket.create_server(("127.0.0.1", port))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                self.held.append(self.server.accept()[0])
            except TimeoutError:
                continue
            except OSError:
                return

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for conn in self.held:
            conn.close()
        self.server.close()


class Worker:
    """A real `celery worker` process on the test database and the given broker.

    `hostname` prefixes the node name; `stop_deadline_s` is how long kill() and stop() wait
    for the process to end; the other keywords are added to the worker's environment.
    """

    def __init__(
        self,
        log: Path,
        broker_url: str,
        *pool: str,
        hostname: str = "faults",
        stop_deadline_s: float = STOP_DEADLINE_S,
        **env: str,
    ):
        self.log = log
        self.stop_deadline_s = stop_deadline_s
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            *(pool or ("--pool=solo",)),
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname={hostname}-{uuid.uuid4().hex[:8]}@%h",
        ]
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PYTHONUNBUFFERED": "1",
            **env,
        }
        with log.open("ab") as out:
            # A session of its own: a kill takes the pool's children with it, as a crash would.
            self.process = subprocess.Popen(
                command,
                cwd=settings.BASE_DIR,
                env=environment,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_for_log(self, fragment: str, deadline_s: float = READY_DEADLINE_S) -> None:
        def seen() -> bool:
            assert self.alive(), f"the worker exited:\n{self.text()}"
            return fragment in self.text()

        wait_until(seen, f"{fragment!r} in the worker log", deadline_s, explain=self.text)

    def kill(self) -> None:
        """SIGKILL to the whole group: no warm shutdown, no acknowledgement (a crash)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=self.stop_deadline_s)

    def stop(self) -> None:
        _stop(self.process, group=True, deadline_s=self.stop_deadline_s)
