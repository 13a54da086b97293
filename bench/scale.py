"""`make bench`, section "scale": do the public verification and the reviewers' list
pages stay as fast with a city's worth of data as with the demo's? Called by bench/run.py.

Two databases beside the bench's own (named after it, kept between runs, since loading the
large one takes minutes): <name>_demo holds `seed_demo`; <name>_scale holds `seed_demo` and then
`seed_scale` (10,000 enterprises and 1,000,000 certificates, BENCH_SCALE_ENTERPRISES and
BENCH_SCALE_CERTIFICATES; a database holding another size is dropped and loaded again, and
BENCH_SCALE_FRESH=1 reloads both). Both are migrated and ANALYZEd before measuring.

A gunicorn on each database, as in the verification section (DEBUG off, the portal's middleware,
Redis as the cache, collected static files), and wrk with few connections (WRK_THREADS x
SCALE_CONNECTIONS, so that the latency is the request's own and not a queue's): WARMUP_S of
warm-up with WARMUP_CONNECTIONS (every worker warm), then MEASURE_S measured:

- verify: GET /api/v1/certificates/verify?number=…&name=… (the verification section's endpoint),
  over existing certificates: all the demo's, or SCALE_VERIFY_NUMBERS numbers drawn at random
  across the million; 1 in 10 with another name (not_found). Uncached (VERIFY_CACHE_SECONDS=0:
  every answer from PostgreSQL, what a stream of distinct numbers costs) is the figure compared;
  the answer cache as configured is measured too, for information (after the warm-up most of the
  demo's few numbers are cached, far fewer of the large set).
- list: the reviewers' list pages, logged in through the login form: the district reviewer
  (district1, 南山区) on the filing list and the city reviewer (city) on the certificate list, each
  alternating the first page and page LATER_PAGE (the last page offered, or the last there is). The
  figures compared are those of the list that grew most (scale_list_page).

The two servers run side by side and each endpoint is measured on one then the other, ROUNDS
times (in turn first), so that both see the same moments of a machine shared with other work;
each figure is the run of median p99 of its ROUNDS. Targets (the exit status): scale_verify_p99_ms
and scale_list_p99_ms at most TARGET_GROWTH times their demo_ baselines.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
ENTERPRISES = int(os.environ.get("BENCH_SCALE_ENTERPRISES", "10000"))
CERTIFICATES = int(os.environ.get("BENCH_SCALE_CERTIFICATES", "1000000"))
SCALE_VERIFY_NUMBERS = 2000
SCALE_CONNECTIONS = 2  # per wrk thread
WARMUP_CONNECTIONS = 16
LATER_PAGE = 10
ROUNDS = 5
TARGET_GROWTH = 1.5
DEMO_PASSWORD = "Demo-2026-portal"
ENDPOINTS = ("verify_uncached", "verify_cached", "district_filings", "city_certificates")
LISTS = {
    "district_filings": ("district1", "/filings/"),
    "city_certificates": ("city", "/certificates/"),
}


def _database_url(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def _manage(url: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**(env or os.environ), "DATABASE_URL": url, "CELERY_TASK_ALWAYS_EAGER": "true"}
    env.pop("DEMO_PASSWORD", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def _checked(done: subprocess.CompletedProcess) -> str:
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(done.args[1:])} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def _connect(url: str):
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    deadline = time.monotonic() + 120
    while True:
        try:
            connection = psycopg2.connect(
                dbname=config["NAME"],
                user=config.get("USER") or None,
                password=config.get("PASSWORD") or None,
                host=config.get("HOST") or None,
                port=config.get("PORT") or None,
            )
            break
        except psycopg2.OperationalError:
            # The shared server restarting (another suite's fault test): wait for it.
            if time.monotonic() > deadline:
                raise
            time.sleep(2)
    connection.autocommit = True
    return connection


def _drop(url: str) -> None:
    parts = urlsplit(url)
    server = _connect(urlunsplit(parts._replace(path="/postgres")))
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
    server.close()


def prepare(bench, url: str, *, scale: bool) -> str:
    """Migrate, seed (skipped when already there), VACUUM ANALYZE; what was done, for the log."""
    if os.environ.get("BENCH_SCALE_FRESH") == "1":
        _drop(url)
    bench.ensure_database(url)
    _checked(_manage(url, "migrate", "--noinput", "-v0"))
    _checked(_manage(url, "seed_demo"))
    said = "demo"
    if scale:
        sizes = ("--enterprises", str(ENTERPRISES), "--certificates", str(CERTIFICATES))
        done = _manage(url, "seed_scale", *sizes)
        if done.returncode != 0 and "already holds scale data" in done.stderr:
            print(f"  {done.stderr.strip().splitlines()[-1]}: loading it again")
            _drop(url)
            bench.ensure_database(url)
            _checked(_manage(url, "migrate", "--noinput", "-v0"))
            _checked(_manage(url, "seed_demo"))
            done = _manage(url, "seed_scale", *sizes)
        out = _checked(done)
        loaded = [line for line in out.splitlines() if "scale data" in line]
        said = f"demo + {loaded[-1].strip() if loaded else out.strip()}"
    # What autovacuum does soon after a load: statistics, and the visibility map that lets a
    # count read an index alone. Outside `with connection` (psycopg2 opens a transaction there).
    connection = _connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
    finally:
        connection.close()
    return said


def verify_paths(url: str, limit: int) -> list[str]:
    """Existing certificates' numbers and names, drawn at random; 1 in 10 with another name."""
    with _connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.5)")
        cursor.execute(
            "SELECT number, holder_name FROM certificates_certificate WHERE status = 'valid' "
            "ORDER BY random() LIMIT %s",
            [limit],
        )
        rows = cursor.fetchall()
    paths = []
    for n, (number, name) in enumerate(rows):
        if n % 10 == 9:
            name = "欧阳" + name  # not the holder: not_found, the same query
        paths.append(f"/api/v1/certificates/verify?number={number}&name={quote(name)}")
    return paths


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def login(port: int, username: str) -> str:
    """A session cookie from the login form, as a browser behind the TLS proxy gets it."""
    import re

    origin = f"https://127.0.0.1:{port}"
    base = {"X-Forwarded-Proto": "https", "Host": f"127.0.0.1:{port}"}
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    client.request("GET", "/accounts/login/", headers=base)
    response = client.getresponse()
    page = response.read().decode()
    cookies = _cookies(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": os.environ.get("BENCH_DEMO_PASSWORD", DEMO_PASSWORD),
        }
    )
    client.request(
        "POST",
        "/accounts/login/",
        body=form,
        headers={
            **base,
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
    )
    response = client.getresponse()
    response.read()
    cookies.update(_cookies(response))
    client.close()
    if response.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login as {username} failed: {response.status}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def _get(port: int, path: str, cookie: str) -> int:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    client.request("GET", path, headers={"X-Forwarded-Proto": "https", "Cookie": cookie})
    response = client.getresponse()
    response.read()
    client.close()
    return response.status


def run_wrk(
    bench, port: int, paths: Path, seconds: int, server: int, cookie: str = "", connections=None
) -> dict:
    """bench.run_wrk with few connections and, for the list pages, the session cookie."""
    return bench.run_wrk(
        port,
        paths,
        seconds,
        server,
        connections=connections or bench.WRK_THREADS * SCALE_CONNECTIONS,
        timeout_s=10,
        headers=(f"Cookie: {cookie}",) if cookie else (),
    )


def _measure(bench, port: int, paths: Path, server: int, cookie: str = "") -> dict:
    # Warm-up with more connections than workers: every worker has compiled the page's templates
    # and opened its database connection before the measured run (a cold worker's first request
    # takes a second, whatever the data).
    run_wrk(bench, port, paths, bench.WARMUP_S, server, cookie, connections=WARMUP_CONNECTIONS)
    figures = run_wrk(bench, port, paths, bench.MEASURE_S, server, cookie)
    if figures["requests"] == 0:
        # Not one answer within the run (wrk then reports no latency): the latency is at least
        # the run's length, and the run counts as failed.
        lower_bound = bench.MEASURE_S * 1000.0
        return {
            "p50_ms": lower_bound,
            "p99_ms": lower_bound,
            "rps": 0.0,
            "errors": 1,
            "requests": 0,
            "server_cpu_us": 0,
        }
    return {
        "p50_ms": bench._ms(figures["p50_us"]),
        "p99_ms": bench._ms(figures["p99_us"]),
        "rps": round(figures["rps"], 1),
        "errors": figures["errors"],
        "requests": figures["requests"],
        "server_cpu_us": round(figures["server_cpu_us"]),
    }


class Server:
    """A gunicorn on one database, with what its measurements need: verification paths, the
    reviewers' session cookies."""

    def __init__(self, bench, work: Path, label: str, url: str, env: dict):
        self.label, self.url = label, url
        self.paths = verify_paths(url, SCALE_VERIFY_NUMBERS)
        self.verify_file = work / f"scale-verify-{label}.txt"
        self.verify_file.write_text("\n".join(self.paths) + "\n")
        self.port = bench.free_port()
        self.log = work / f"scale-gunicorn-{label}-{env.get('VERIFY_CACHE_SECONDS', 'cached')}.log"
        self.process, self.described = bench.start_gunicorn(self.port, self.log, env)
        status = bench.fetch(f"http://127.0.0.1:{self.port}{self.paths[0]}")[0]
        if status != 200:
            bench.stop(self.process)
            raise RuntimeError(
                f"{self.paths[0]} answered {status}:\n{self.log.read_text()[-3000:]}"
            )
        self.lists: dict[str, tuple[Path, str]] = {}

    def log_in(self, work: Path) -> None:
        for name, (username, path) in LISTS.items():
            cookie = login(self.port, username)
            later = f"{path}?page={LATER_PAGE}"
            for page in (path, later):
                status = _get(self.port, page, cookie)
                if status != 200:
                    raise RuntimeError(f"{page} as {username} answered {status}")
            list_file = work / f"scale-{name}-{self.label}.txt"
            list_file.write_text(f"{path}\n{later}\n")
            self.lists[name] = (list_file, cookie)

    def measure(self, bench, endpoint: str) -> dict:
        if endpoint.startswith("verify"):
            return _measure(bench, self.port, self.verify_file, self.process.pid)
        list_file, cookie = self.lists[endpoint]
        figures = _measure(bench, self.port, list_file, self.process.pid, cookie)
        # Still logged in: a redirect to the login page would have been measured.
        later = list_file.read_text().split()[1]
        status = _get(self.port, later, cookie)
        if status != 200:
            raise RuntimeError(
                f"{later} on {self.label} answered {status} after the run (a session ended, or an "
                f"error):\n{self.log.read_text(errors='replace')[-3000:]}"
            )
        return figures


def measure(bench, work: Path, databases: dict, redis_url: str | None, static: Path) -> dict:
    """Every endpoint ROUNDS times on each database, the demo's and the scale's run back to
    back (in turn first), so that both see the same state of a shared machine."""
    rounds: dict = {label: {} for label in databases}
    base = {
        "VERIFY_RATE_LIMIT": bench.BENCH_RATE_LIMIT,
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": str(static),
    }
    if redis_url:
        base["REDIS_URL"] = redis_url
    phases = (
        ({"VERIFY_CACHE_SECONDS": "0"}, ("verify_uncached", *LISTS)),
        ({}, ("verify_cached",)),
    )
    for settings_env, endpoints in phases:
        if redis_url:
            bench.redis_reachable(redis_url)  # empties the bench's Redis database
        servers = []
        try:
            for label, url in databases.items():
                env = bench.server_env(DATABASE_URL=url, **base, **settings_env)
                servers.append(Server(bench, work, label, url, env))
            for server in servers:
                if any(name in endpoints for name in LISTS):
                    server.log_in(work)
            for n in range(ROUNDS):
                for endpoint in endpoints:
                    for server in servers if n % 2 == 0 else reversed(servers):
                        figures = server.measure(bench, endpoint)
                        rounds[server.label].setdefault(endpoint, []).append(figures)
        finally:
            for server in servers:
                bench.stop(server.process)
    for label, server in zip(databases, servers, strict=True):
        rounds[label]["server"] = server.described
        rounds[label]["verify_numbers"] = len(server.paths)
    return rounds


def _median(runs: list[dict]) -> dict:
    """The run of median p99 (of an odd number of runs; the lower middle one otherwise)."""
    return sorted(runs, key=lambda figures: figures["p99_ms"])[(len(runs) - 1) // 2]


def bench_scale(bench, work: Path, redis_url: str | None) -> tuple[dict, bool]:
    """`bench` is bench/run.py's module: its process helpers and wrk settings."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print("scale: needs PostgreSQL (DATABASE_URL); skipped")
        return {"skipped": "no PostgreSQL"}, False
    load = bench.machine_load("scale")
    databases = {"demo": _database_url(url, "_demo"), "scale": _database_url(url, "_scale")}
    prepared = {}
    for label, database in databases.items():
        prepared[label] = prepare(bench, database, scale=label == "scale")
        print(f"  {label}: {urlsplit(database).path.lstrip('/')}: {prepared[label]}")
    # The servers run with DEBUG off: the pages' static files come from a collected folder, as
    # in the image (collectstatic at start).
    static = work / "static"
    env = bench.server_env(STATIC_ROOT=str(static))
    _checked(_manage(url, "collectstatic", "--noinput", "-v0", env=env))
    rounds = measure(bench, work, databases, redis_url, static)
    best = {label: {key: _median(rounds[label][key]) for key in ENDPOINTS} for label in databases}
    demo, scale = best["demo"], best["scale"]
    # The list that grew most stands for "a reviewer's list page".
    worst = max(LISTS, key=lambda name: scale[name]["p99_ms"] / demo[name]["p99_ms"])
    demo_list, scale_list = demo[worst]["p99_ms"], scale[worst]["p99_ms"]
    verify_ratio = scale["verify_uncached"]["p99_ms"] / demo["verify_uncached"]["p99_ms"]
    list_ratio = scale_list / demo_list
    ok = verify_ratio <= TARGET_GROWTH and list_ratio <= TARGET_GROWTH
    ok &= all(figures["errors"] == 0 for side in best.values() for figures in side.values())
    results = {
        "load_before": load,
        "databases": prepared,
        "connections": bench.WRK_THREADS * SCALE_CONNECTIONS,
        "rounds": ROUNDS,
        "scale_verify_p99_ms": scale["verify_uncached"]["p99_ms"],
        "demo_verify_p99_ms": demo["verify_uncached"]["p99_ms"],
        "scale_verify_ratio": round(verify_ratio, 2),
        "scale_list_p99_ms": scale_list,
        "demo_list_p99_ms": demo_list,
        "scale_list_ratio": round(list_ratio, 2),
        "scale_list_page": worst,
        "target_growth": TARGET_GROWTH,
        "median": best,
        "all_runs": rounds,
    }
    print(
        f"scale: {ENTERPRISES} enterprises and {CERTIFICATES} certificates against the demo, "
        f"wrk {bench.WRK_THREADS} threads x {SCALE_CONNECTIONS} connections, median of {ROUNDS} "
        f"paired runs of {bench.MEASURE_S} s after {bench.WARMUP_S} s warm-up"
    )
    rows = [
        ("verify_uncached", "verification, every answer from PostgreSQL"),
        ("verify_cached", "verification, answer cache as configured (information)"),
        ("district_filings", f"district1's filing list, pages 1 and {LATER_PAGE}"),
        ("city_certificates", f"city's certificate list, pages 1 and {LATER_PAGE}"),
    ]
    for key, what in rows:
        d, s = demo[key], scale[key]
        print(
            f"  {key:18s} p99 {s['p99_ms']:7.2f} ms vs demo {d['p99_ms']:7.2f} ms = "
            f"{s['p99_ms'] / d['p99_ms']:.2f}x; p50 {s['p50_ms']:.2f} vs {d['p50_ms']:.2f} ms  "
            f"({what})"
        )
    for name, ratio, figure in (
        ("scale_verify_p99_ms", verify_ratio, scale["verify_uncached"]["p99_ms"]),
        ("scale_list_p99_ms", list_ratio, scale_list),
    ):
        verdict = "PASS" if ratio <= TARGET_GROWTH else "FAIL"
        print(
            f"  {name:20s} {figure:7.2f} ms = {ratio:.2f}x its demo_ baseline "
            f"[{verdict} <= {TARGET_GROWTH}x]"
        )
    return results, ok
