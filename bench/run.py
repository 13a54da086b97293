"""`make bench`: the roster import and certificates, each against a baseline
measured in the same run. Every figure is printed beside its baseline and written to
bench/results.json (git-ignored); the exit status is 1 when a target is missed.

BENCH_ONLY=roster,certificates,verify,scale,load runs some sections (all by default; "scale"
is bench/scale.py and "load" bench/load_run.py, each saying what it measures). The database is
DATABASE_URL (PostgreSQL in `make bench`: BENCH_DATABASE_URL, a scratch database created when
missing). Redis is BENCH_REDIS_URL (default redis://127.0.0.1:6379/15, a database the bench
empties at start): the Celery broker and the rate limiter's cache of the servers started here;
without a reachable Redis the broker is a temporary folder and the cache is per process.

Roster (R-P5). Generates a 10,000-row roster of valid rows with realistic values
(written with openpyxl), then times, best of three runs each:

- openpyxl_read_10k_s: a bare openpyxl read-only pass over the file (the baseline);
- roster_import_10k_s: the import end to end, bytes in, rows committed in the database: the ZIP
  and formula checks, every row rule (R-P3, R-P4, R-P5, R-P5a) and the bulk insert.

The target is roster_import_10k_s <= openpyxl_read_10k_s (ratio <= 1.0). For information it also
times the page's flow: upload with its checked preview, then the import (the file checked twice).

Certificates (R-K1, R-K3), for a bench enterprise of their own: an approved result
batch of 2,000 passed examinees (levels 5 and 4), each with a distinct 295x413 JPEG photo of
about 20 KB (BENCH_CERT_PHOTOS=0: none).

- cert_issue_2000_s (information): services.issue_certificates in this process: numbers (R-K2),
  2,000 certificate rows, the parts, up to the dispatch of the printing on commit.
- cert_batch_2000_s: from that dispatch to the batch's status "ready": a real Celery worker
  (prefork, --concurrency 2, DEBUG off, as in docker-compose.yml) renders the 8 parts of 250
  pages in parallel and joins them into the one printable PDF. cert_batch_per_s is 2,000 /
  cert_batch_2000_s; target >= 100 certificates/s.
- cert_naive_per_cert_s (the baseline): seconds per certificate when each of 50 of them is
  rendered by its own call, certificates.printing.certificates_pdf([c]), in this process after
  one warm-up call. cert_batch_vs_naive = cert_batch_per_s / (1 / cert_naive_per_cert_s);
  target >= 10.
- cert_holder_pdf_ms: one holder's PDF on demand, uncached (holder_pdf on a
  certificate whose stored PDF was cleared: render, store, record), median of 9 certificates.
  Its baseline is the naive render of one certificate above (the difference is storing it).

Verification API (R-K5) under gunicorn, production-like: DEBUG off, the portal's middleware and
settings (the trivial view is portal.core.health.hello at /api/v1/hello, routed by the portal),
PostgreSQL with the settings' CONN_MAX_AGE and health checks, the rate limiter in the path with
VERIFY_RATE_LIMIT=100000000/60 (every request comes from one client) and the cache in Redis.
Requests carry X-Forwarded-Proto: https, as the TLS proxy sends it, so SECURE_SSL_REDIRECT stays
on. Workers: 2 x cores + 1 sync workers, as gunicorn advises and as the image runs them (sync
behind a buffering proxy; the views are short and CPU-bound, so threads would only share one
GIL per process; BENCH_GUNICORN_CLASS=gthread BENCH_GUNICORN_WORKERS=n BENCH_GUNICORN_THREADS=n
try threads). wrk (2 threads, 32 connections) runs 3 s of warm-up, then twice 10 s measured
per endpoint, the better run counting; each figure also gives the server's CPU per request
(gunicorn's processes, not the database's or Redis's), steadier than throughput when other work
shares the machine.

- hello_rps, hello_p99_ms (the baseline): /api/v1/hello, portal.core.health.hello, the same
  middleware and no database or cache;
- verify_rps, verify_p99_ms: /api/v1/certificates/verify?number=…&name=… cycling through 500
  numbers of the batch above, 9 in 10 with the holder's name (valid) and 1 in 10 with another
  (not_found), the settings as they are: after the warm-up every answer comes from the answer
  cache (VERIFY_CACHE_SECONDS), i.e. repeated lookups;
- verify_uncached_rps, verify_uncached_p99_ms: the same with VERIFY_CACHE_SECONDS=0, every answer
  from PostgreSQL, as for a stream of distinct numbers.

Targets (the exit status): verify_rps >= 70 % of hello_rps, verify_p99_ms < 50 ms. The uncached
figures are printed against the same targets for information. Note that with 32
connections kept busy the mean latency is 32 / rps (Little's law): p99 < 50 ms needs well over
640 requests/s.
"""

import datetime as dt
import io
import json
import os
import platform
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
ROWS = 10_000
RUNS = 3
TARGET_RATIO = 1.0

CERTIFICATES = 2_000
NAIVE_COUNT = 50
HOLDER_RUNS = 9
TARGET_CERT_PER_S = 100.0
TARGET_CERT_VS_NAIVE = 10.0
WORKER_CONCURRENCY = 2
BATCH_DEADLINE_S = 600

WRK_THREADS = 2
WRK_CONNECTIONS = 32
WARMUP_S = 3
MEASURE_S = 10
MEASURED_RUNS = 2
VERIFY_PATHS = 500
TARGET_VERIFY_VS_HELLO = 0.70
TARGET_VERIFY_P99_MS = 50.0
BENCH_RATE_LIMIT = "100000000/60"
SECTIONS = ("roster", "certificates", "verify", "scale", "load")

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
_OWN_MEDIA = "MEDIA_ROOT" not in os.environ
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="portal-bench-media-"))
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The servers run with DEBUG off, which refuses the demo keys: fixed keys of the bench (its
# scratch database keeps rows between runs), the same in this process and the servers.
os.environ.setdefault("ID_ENCRYPTION_KEYS", "YmVuY2gtb25seS1pZC1lbmNyeXB0aW9uLWtleS0zMmI")
os.environ.setdefault("ID_HASH_KEY", "YmVuY2gtb25seS1pZC1sb29rdXAtaGFzaC1rZXktMzI")


def ensure_database(url: str) -> str:
    """Create the PostgreSQL database of `url` when it does not exist; the vendor's name."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        return config["ENGINE"].rsplit(".", 1)[-1]
    import psycopg2
    from psycopg2 import sql

    server = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"created database {config['NAME']}")
    server.close()
    return "postgresql"


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志海玲红梅波宇浩然子涵欣怡晨阳"
REGIONS = ["440305", "440304", "440306", "440307", "430102", "360426", "450103", "510104"]
MOBILE_PREFIXES = ["135", "138", "139", "150", "158", "186", "188", "199", "177", "133"]


def random_people(rng: random.Random):
    """Endless (ID number, birth date) pairs of people born from 1965 on, no number twice."""
    from stdnum.cn import ric

    seen: set[str] = set()
    while True:
        born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(14000))
        body = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in seen:
            seen.add(number)
            yield number, born


def generated_roster(rows: int = ROWS, seed: int = 20260101) -> bytes:
    """A valid roster for 6-18-01-01 车工, levels 5 and 4, in the official format."""
    from openpyxl import Workbook

    from assessments.rosters.reader import CATEGORY_HEADER, HEADERS

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名册")
    sheet.append(["职业技能等级认定人员名册"])
    sheet.append([*HEADERS, CATEGORY_HEADER])
    people = random_people(rng)
    for n in range(1, rows + 1):
        number, born = next(people)
        male = int(number[16]) % 2 == 1
        dispatched = rng.random() < 0.08
        hired = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(5500))
        birth = born if rng.random() < 0.8 else f"{born.year}年{born.month}月{born.day}日"
        sheet.append(
            [
                n,
                "Y0001",
                "南山精密机械有限公司",
                rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
                "居民身份证",
                number if rng.random() < 0.97 else number.lower(),
                "男" if male else "女",
                birth,
                rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}",
                f"worker{n}@example.com" if rng.random() < 0.3 else "",
                "否" if dispatched else "是",
                "深圳市南山人力资源服务有限公司" if dispatched else "南山精密机械有限公司",
                f"{rng.randint(1, 20)}年",
                rng.choice(["车工", "数控车工", "机加工", "装配"]),
                hired,
                "6-18-01-01",
                "车工",
                "",
                rng.choice(["五级/初级工", "四级/中级工"]),
                "",
                None,
                "劳务派遣人员" if dispatched else "本企业职工",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def bench_enterprise(serial: int, name: str):
    """A bench enterprise in 南山, made once and kept between runs."""
    from stdnum.cn import uscc

    from filings.models import Enterprise

    _city, district = bench_bureaus()
    body = f"91440300BENCH000{serial}"
    enterprise, _ = Enterprise.objects.get_or_create(
        credit_code=body + uscc.calc_check_digit(body),
        defaults={
            "name": name,
            "district": district,
            "address": f"深圳市南山区科技园{serial}号",
            "legal_representative": "王建国",
            "contact_name": "李四",
            "contact_phone": "13800138000",
            "status": "active",
        },
    )
    return enterprise


def bench_plan():
    """A fresh draft plan of a bench enterprise; earlier bench plans are removed first."""

    from assessments.models import ImplementationPlan
    from portal.core.presets import apply_preset

    city, _district = bench_bureaus()
    apply_preset(city, "shenzhen")
    enterprise = bench_enterprise(1, "南山精密机械有限公司（基准测试）")
    scheme = approved_scheme(enterprise, filing_number="BENCH-0001")
    for old in ImplementationPlan.objects.filter(enterprise=enterprise):
        old.roster.all().delete()
        old.sessions.all().delete()
        old.delete()
    return ImplementationPlan.objects.create(
        enterprise=enterprise, scheme=scheme, title="基准测试计划", levels=[5, 4]
    )


def time_openpyxl(data: bytes) -> float:
    from openpyxl import load_workbook

    start = time.perf_counter()
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    count = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    elapsed = time.perf_counter() - start
    assert count == ROWS + 2, count
    return elapsed


def time_import(plan, data: bytes) -> float:
    from assessments.rosters import services as roster_services

    plan.roster.all().delete()
    start = time.perf_counter()
    outcome = roster_services.roster_import(plan=plan, actor=None, data=data, filename="bench.xlsx")
    elapsed = time.perf_counter() - start
    assert outcome.imported == ROWS and plan.roster.count() == ROWS, outcome
    return elapsed


def time_page_flow(plan, data: bytes) -> float:
    from assessments.rosters import services as roster_services

    plan.roster.all().delete()
    start = time.perf_counter()
    job = roster_services.roster_upload(plan=plan, actor=None, data=data, filename="bench.xlsx")
    job = roster_services.roster_import_start(upload=job, actor=None, only_good=False)
    elapsed = time.perf_counter() - start
    assert job.imported == ROWS, (job.phase, job.message)
    return elapsed


def bench_roster() -> tuple[dict, bool]:
    from assessments.rosters import services as roster_services

    # The page's flow stays in this process: no worker takes part in the benchmark.
    roster_services.BACKGROUND_ROWS = 10**9
    data = generated_roster()
    plan = bench_plan()
    openpyxl_runs = [time_openpyxl(data) for _ in range(RUNS)]
    import_runs = [time_import(plan, data) for _ in range(RUNS)]
    flow_runs = [time_page_flow(plan, data) for _ in range(RUNS)]
    baseline, ours, flow = min(openpyxl_runs), min(import_runs), min(flow_runs)
    ratio = ours / baseline
    results = {
        "rows": ROWS,
        "file_bytes": len(data),
        "openpyxl_read_10k_s": round(baseline, 3),
        "roster_import_10k_s": round(ours, 3),
        "ratio": round(ratio, 3),
        "target_ratio": TARGET_RATIO,
        "roster_upload_and_import_10k_s": round(flow, 3),
        "runs": {
            "openpyxl_read_10k_s": [round(t, 3) for t in openpyxl_runs],
            "roster_import_10k_s": [round(t, 3) for t in import_runs],
            "roster_upload_and_import_10k_s": [round(t, 3) for t in flow_runs],
        },
    }
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"roster: {ROWS} rows, {len(data) // 1024} KiB, best of {RUNS}")
    print(f"  openpyxl_read_10k_s  {baseline:7.3f} s   baseline: bare openpyxl read-only pass")
    print(
        f"  roster_import_10k_s  {ours:7.3f} s   vs baseline {baseline:.3f} s: ratio {ratio:.2f} "
        f"({verdict} the target <= {TARGET_RATIO})"
    )
    print(
        f"  upload (preview) + import  {flow:7.3f} s   vs baseline {baseline:.3f} s: "
        f"ratio {flow / baseline:.2f} (for information)"
    )
    return results, ratio <= TARGET_RATIO


# Processes: Redis, a Celery worker, gunicorn --------------------------------------------------


def machine_load(section: str) -> float:
    """The 1-minute load average; other work on this machine slows every figure down."""
    load = os.getloadavg()[0]
    if load > 0.5:
        print(f"  ({section}: 1-minute load average {load:.2f} at the start)")
    return round(load, 2)


def redis_reachable(url: str) -> bool:
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        client.flushdb()  # the bench's own database: stale tasks and counters go
        return True
    except redis.RedisError:
        return False


# One key for every process of a run: cached verification answers hold a keyed hash of the name.
SECRET_KEY = secrets.token_urlsafe(50)


def server_env(**extra: str) -> dict:
    """Production-like settings for the processes the bench starts."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "PYTHONUNBUFFERED": "1",
        # The bench logs in as demo reviewers, who have no authenticator app.
        "REQUIRE_TWO_FACTOR_FOR_STAFF": "false",
    }
    env.update(extra)
    return env


def stop(process: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM (warm shutdown), then SIGKILL to the process group if it lingers."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def approved_scheme(enterprise, *, filing_number: str):
    """The enterprise's approved 车工 scheme, filed under `filing_number` when it has none."""
    from assessments.models import EvaluationScheme
    from filings.models import Filing, FilingScopeLine, Occupation

    scheme = EvaluationScheme.objects.filter(enterprise=enterprise, status="approved").first()
    if scheme is not None:
        return scheme
    occupation, _ = Occupation.objects.get_or_create(code="6-18-01-01", defaults={"name": "车工"})
    filing = Filing.objects.create(
        enterprise=enterprise,
        status="approved",
        number=filing_number,
        approved_on=dt.date(2025, 1, 6),
        valid_until=dt.date(2099, 12, 31),
    )
    line = FilingScopeLine.objects.create(filing=filing, occupation=occupation, levels=[5, 4, 3])
    return EvaluationScheme.objects.create(
        enterprise=enterprise,
        scope_line=line,
        status="approved",
        standard_name="车工国家职业技能标准",
        levels=[5, 4, 3],
        methods=["theory_exam", "practical"],
    )


def start_worker(log: Path):
    """The Celery worker of the tests (tests/support/processes.py), with a prefork pool and the
    bench's settings; returned once it is ready."""
    from tests.support.processes import Worker

    worker = Worker(
        log,
        os.environ["CELERY_BROKER_URL"],
        "--pool=prefork",
        f"--concurrency={WORKER_CONCURRENCY}",
        hostname="bench",
        stop_deadline_s=30,
        **server_env(LOG_LEVEL="INFO"),
    )
    try:
        worker.wait_for_log("ready.", deadline_s=120)
    except AssertionError as error:
        worker.stop()
        raise RuntimeError(f"the Celery worker did not start: {error}") from None
    return worker


# Certificates ---------------------------------------------------------------------------------


def cert_enterprise(*, clear: bool):
    """The certificate bench's enterprise; `clear` removes earlier bench certificates and plans."""

    from assessments.models import ImplementationPlan, ResultBatch
    from certificates.models import Certificate, IssueBatch, NumberingPrefix
    from portal.core.models import BackgroundJob, Counter

    enterprise = bench_enterprise(2, "北山精密机械有限公司（证书基准测试）")
    NumberingPrefix.objects.get_or_create(
        enterprise=enterprise, defaults={"province_code": "44", "site_serial": "900001"}
    )
    if not clear:
        return enterprise
    batches = IssueBatch.objects.filter(enterprise=enterprise)
    jobs = [pk for pk in batches.values_list("job_id", flat=True) if pk]
    Certificate.objects.filter(enterprise=enterprise).delete()
    batches.delete()
    BackgroundJob.objects.filter(pk__in=jobs).delete()
    ResultBatch.objects.filter(plan__enterprise=enterprise).delete()
    for plan in ImplementationPlan.objects.filter(enterprise=enterprise):
        plan.roster.all().delete()
        plan.sessions.all().delete()
        plan.delete()
    Counter.objects.filter(key__startswith=f"certificate:{enterprise.pk}:").delete()
    return enterprise


def _photo(rng: random.Random, n: int) -> bytes:
    """A distinct 295x413 JPEG (a 1-inch photo at 300 dpi), about 20 KB like a real one."""
    from PIL import Image, ImageDraw, ImageFilter

    image = Image.effect_noise((295, 413), 20).convert("RGB").filter(ImageFilter.GaussianBlur(1))
    draw = ImageDraw.Draw(image)
    draw.ellipse((70, 60, 225, 250), fill=(rng.randrange(256), 180, 150))
    draw.rectangle((0, 413 - 12, 295, 413), fill=(n % 256, n // 256 % 256, 90))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def approved_results(enterprise, count: int, *, photos: bool, seed: int = 20261122):
    """An approved result batch of `count` passed examinees, levels 5 and 4, in roster order."""
    from django.conf import settings
    from django.utils import timezone

    from assessments.models import ImplementationPlan, ResultBatch, RosterEntry

    rng = random.Random(seed)
    today = timezone.localdate()
    scheme = approved_scheme(enterprise, filing_number="BENCH-0002")
    plan = ImplementationPlan.objects.create(
        enterprise=enterprise,
        scheme=scheme,
        title="证书基准测试计划",
        levels=[5, 4],
        status="acknowledged",
        submitted_on=today - dt.timedelta(days=60),
        acknowledged_on=today - dt.timedelta(days=50),
    )
    photo_dir = Path(settings.MEDIA_ROOT) / "photos"
    photo_dir.mkdir(parents=True, exist_ok=True)
    entries = []
    people = random_people(rng)
    for n in range(1, count + 1):
        number, born = next(people)
        photo = ""
        if photos:
            photo = f"photos/bench-{plan.pk}-{n:05d}.jpg"
            (photo_dir / Path(photo).name).write_bytes(_photo(rng, n))
        entries.append(
            RosterEntry(
                plan=plan,
                seq=n,
                institution_code="Y0002",
                institution_name=enterprise.name,
                name=rng.choice(SURNAMES)
                + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))),
                id_number=number,
                sex="男" if int(number[16]) % 2 else "女",
                birth_date=born,
                phone=rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}",
                employer=enterprise.name,
                occupation_code="6-18-01-01",
                occupation_name="车工",
                work_type_name=rng.choice(["", "数控车工"]),
                level=rng.choice([5, 4]),
                photo=photo,
                total_score=80,
                result="passed",
            )
        )
    RosterEntry.objects.bulk_create(entries, batch_size=500)
    return ResultBatch.objects.create(
        plan=plan,
        status="approved",
        published_on=today - dt.timedelta(days=20),
        publicity_ends_on=today - dt.timedelta(days=13),
        filing_due_on=today + dt.timedelta(days=5),
        submitted_on=today - dt.timedelta(days=10),
        approved_on=today - dt.timedelta(days=1),
    )


def bench_user():
    from django.contrib.auth import get_user_model

    user, _ = get_user_model().objects.get_or_create(username="bench-issuer")
    return user


def bench_certificates(work: Path) -> tuple[dict, bool]:
    from django.db.models import Max, Min
    from django.utils import timezone

    from certificates.issuance import services
    from certificates.models import BatchPart, IssueBatch, IssueStatus
    from certificates.printing.documents import certificates_pdf
    from certificates.printing.services import holder_pdf
    from portal.celery import app as celery_app

    photos = os.environ.get("BENCH_CERT_PHOTOS", "1") != "0"
    load = machine_load("certificates")
    enterprise = cert_enterprise(clear=True)
    result_batch = approved_results(enterprise, CERTIFICATES, photos=photos)
    celery_app.conf.task_always_eager = False  # the printing goes to the worker
    worker = start_worker(work / "worker.log")
    try:
        started = time.perf_counter()
        batch = services.issue_certificates(result_batch=result_batch, actor=bench_user())
        dispatched = time.perf_counter()  # on commit, inside issue_certificates
        dispatched_at = timezone.now()
        deadline = time.monotonic() + BATCH_DEADLINE_S
        while IssueBatch.objects.filter(pk=batch.pk, status=IssueStatus.READY).count() == 0:
            if not worker.alive() or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the batch was not printed:\n{(work / 'worker.log').read_text()[-5000:]}"
                )
            time.sleep(0.05)
        ready = time.perf_counter()
    finally:
        worker.stop()
    batch.refresh_from_db()
    assert batch.pages == CERTIFICATES, batch.pages
    issue_s, batch_s = dispatched - started, ready - dispatched
    span = BatchPart.objects.filter(batch=batch).aggregate(
        first=Min("claimed_at"), last=Max("rendered_at")
    )
    join_s = (batch.rendered_at - span["last"]).total_seconds()
    part_s = [
        (p.rendered_at - p.claimed_at).total_seconds()
        for p in BatchPart.objects.filter(batch=batch)
    ]

    certificates = list(services.batch_certificates(batch)[: NAIVE_COUNT + HOLDER_RUNS + 1])
    certificates_pdf(certificates[:1])  # warm-up: fonts, templates
    naive_start = time.perf_counter()
    for certificate in certificates[1 : NAIVE_COUNT + 1]:
        certificates_pdf([certificate])
    naive_per_cert = (time.perf_counter() - naive_start) / NAIVE_COUNT

    holder_runs = []
    for certificate in certificates[NAIVE_COUNT + 1 :]:
        type(certificate).objects.filter(pk=certificate.pk).update(pdf="")
        certificate.pdf = ""
        start = time.perf_counter()
        holder_pdf(certificate)
        holder_runs.append((time.perf_counter() - start) * 1000)
    holder_ms = statistics.median(holder_runs)

    rate = CERTIFICATES / batch_s
    naive_rate = 1 / naive_per_cert
    vs_naive = rate / naive_rate
    rate_ok, naive_ok = rate >= TARGET_CERT_PER_S, vs_naive >= TARGET_CERT_VS_NAIVE
    results = {
        "certificates": CERTIFICATES,
        "photos": photos,
        "load_before": load,
        "worker_concurrency": WORKER_CONCURRENCY,
        "cert_issue_2000_s": round(issue_s, 3),
        "cert_batch_2000_s": round(batch_s, 3),
        "cert_batch_per_s": round(rate, 1),
        "cert_naive_per_cert_s": round(naive_per_cert, 4),
        "cert_naive_per_s": round(naive_rate, 2),
        "cert_batch_vs_naive": round(vs_naive, 1),
        "cert_holder_pdf_ms": round(holder_ms, 1),
        "targets": {"cert_batch_per_s": TARGET_CERT_PER_S, "cert_batch_vs_naive": 10.0},
        "details": {
            "parts": len(part_s),
            "part_render_s": sorted(round(s, 2) for s in part_s),
            "first_claim_after_dispatch_s": round(
                (span["first"] - dispatched_at).total_seconds(), 3
            ),
            "join_s": round(join_s, 3),
            "batch_pdf_bytes": batch.pdf.size,
            "holder_pdf_ms_runs": [round(ms, 1) for ms in holder_runs],
        },
    }
    print(
        f"certificates: a batch of {CERTIFICATES}, {'with' if photos else 'without'} photos, "
        f"worker prefork x{WORKER_CONCURRENCY}"
    )
    print(f"  cert_issue_2000_s      {issue_s:8.3f} s   numbers, rows, parts (for information)")
    print(
        f"  cert_batch_2000_s      {batch_s:8.3f} s   = {rate:.1f} certificates/s "
        f"[{'PASS' if rate_ok else 'FAIL'} >= {TARGET_CERT_PER_S:.0f}/s]"
    )
    print(
        f"  cert_naive_per_cert_s  {naive_per_cert:8.4f} s   baseline: {naive_rate:.1f} "
        f"certificates/s one call each; batch is {vs_naive:.1f}x "
        f"[{'PASS' if naive_ok else 'FAIL'} >= {TARGET_CERT_VS_NAIVE:.0f}x]"
    )
    print(
        f"  cert_holder_pdf_ms     {holder_ms:8.1f} ms  median of {HOLDER_RUNS}, vs naive render "
        f"{naive_per_cert * 1000:.1f} ms (for information)"
    )
    print(
        f"    parts {len(part_s)}: {min(part_s):.2f}–{max(part_s):.2f} s each; join "
        f"{join_s:.2f} s; PDF {batch.pdf.size / 2**20:.1f} MiB"
    )
    return results, rate_ok and naive_ok


# Verification API -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def start_gunicorn(port: int, log: Path, env: dict) -> tuple[subprocess.Popen, str]:
    kind = os.environ.get("BENCH_GUNICORN_CLASS", "sync")
    workers = int(os.environ.get("BENCH_GUNICORN_WORKERS", 2 * (os.cpu_count() or 1) + 1))
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "portal.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--worker-class={kind}",
        "--timeout=60",
    ]
    described = f"gunicorn {workers} {kind} workers"
    if kind == "gthread":
        threads = os.environ.get("BENCH_GUNICORN_THREADS", "4")
        command.append(f"--threads={threads}")
        described += f" x {threads} threads"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 60
    while True:
        try:
            if fetch(f"http://127.0.0.1:{port}/api/v1/hello")[0] == 200:
                return process, described
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            raise RuntimeError(f"gunicorn did not answer:\n{log.read_text()[-5000:]}")
        time.sleep(0.2)


def bench_bureaus():
    """The bench's own province, city and district (kept apart from the demo's)."""
    from portal.core.models import Bureau

    province, _ = Bureau.objects.get_or_create(
        code="BENCH44", defaults={"name": "基准测试省", "level": "province"}
    )
    city, _ = Bureau.objects.get_or_create(
        code="BENCH4403", defaults={"name": "基准测试市", "level": "city", "parent": province}
    )
    district, _ = Bureau.objects.get_or_create(
        code="BENCH440305", defaults={"name": "基准测试区", "level": "district", "parent": city}
    )
    return city, district


def group_cpu_s(group: int) -> float:
    """CPU seconds (user + system) used so far by the processes of a process group."""
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group:  # pgrp
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def run_wrk(
    port: int,
    paths_file: Path,
    seconds: int,
    server: int | None = None,
    *,
    connections: int = WRK_CONNECTIONS,
    timeout_s: int = 5,
    headers: tuple[str, ...] = (),
) -> dict:
    """wrk against the server on `port`, asking the paths listed in `paths_file` in turn; its
    figures, and what the server's process group spent per request when `server` is given."""
    command = [
        "wrk",
        f"--threads={WRK_THREADS}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        f"--timeout={timeout_s}s",
        "--latency",
        "--header=X-Forwarded-Proto: https",
        *(f"--header={header}" for header in headers),
        f"--script={Path(__file__).resolve().parent / 'wrk_paths.lua'}",
        f"http://127.0.0.1:{port}",
        "--",
        str(paths_file),
    ]
    cpu_before = group_cpu_s(server) if server else 0.0
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    cpu = group_cpu_s(server) - cpu_before if server else 0.0
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed:\n{done.stdout}\n{done.stderr}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("WRK_JSON "))
    figures = json.loads(line.removeprefix("WRK_JSON "))
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    figures["errors"] = sum(figures[k] for k in ("connect", "read", "write", "status", "timeout"))
    # What the server's processes spent per request: steadier than throughput when other work
    # shares the machine (the database's and Redis's share is not in it).
    figures["server_cpu_us"] = cpu / max(1, figures["requests"]) * 1e6
    figures["text"] = done.stdout
    return figures


def verify_paths(enterprise) -> list[str]:
    from certificates.models import Certificate

    rng = random.Random(5)
    rows = list(
        Certificate.objects.filter(enterprise=enterprise, status="valid")
        .order_by("number")
        .values_list("number", "holder_name")
    )
    rows = rng.sample(rows, min(VERIFY_PATHS, len(rows)))
    paths = []
    for n, (number, name) in enumerate(rows):
        if n % 10 == 9:
            name = "欧阳" + name  # not the holder: not_found, the same query
        paths.append(f"/api/v1/certificates/verify?number={number}&name={quote(name)}")
    return paths


def _endpoint(port: int, paths_file: Path, server: int) -> dict:
    """Warm-up, then the better of MEASURED_RUNS runs: a burst of other work on this machine
    lowers one run, not both."""
    run_wrk(port, paths_file, WARMUP_S)
    runs = [run_wrk(port, paths_file, MEASURE_S, server) for _ in range(MEASURED_RUNS)]
    return max(runs, key=lambda figures: figures["rps"])


def _ms(microseconds: int) -> float:
    return round(microseconds / 1000, 2)


def bench_verify(work: Path, redis_url: str | None) -> tuple[dict, bool]:
    from certificates.models import Certificate
    from portal.celery import app as celery_app

    enterprise = cert_enterprise(clear=False)
    if Certificate.objects.filter(enterprise=enterprise).count() < VERIFY_PATHS:
        # The certificates section did not run: issue a batch, without printing it.
        from certificates.issuance import services

        enterprise = cert_enterprise(clear=True)
        celery_app.conf.task_always_eager = False
        result_batch = approved_results(enterprise, CERTIFICATES, photos=False)
        services.issue_certificates(result_batch=result_batch, actor=bench_user())
    paths = verify_paths(enterprise)
    (work / "verify.txt").write_text("\n".join(paths) + "\n")
    (work / "hello.txt").write_text("/api/v1/hello\n")

    extra = {"DJANGO_SETTINGS_MODULE": "portal.settings", "VERIFY_RATE_LIMIT": BENCH_RATE_LIMIT}
    if redis_url:
        extra["REDIS_URL"] = redis_url
    extra.setdefault("LOG_LEVEL", "WARNING")
    load = machine_load("verify")
    measured, probe = {}, {}
    # The portal's settings as they are (answers cached VERIFY_CACHE_SECONDS), then without the
    # answer cache: a sweep of distinct numbers (or a fresh server) gets every answer that way.
    for run, settings_env in (("as configured", {}), ("uncached", {"VERIFY_CACHE_SECONDS": "0"})):
        port = free_port()
        log = work / f"gunicorn-{len(measured)}.log"
        server, described = start_gunicorn(port, log, server_env(**extra, **settings_env))
        try:
            status, body = fetch(f"http://127.0.0.1:{port}{paths[0]}")
            probe = {"status": status, "body": body[:300].decode(errors="replace")}
            if "hello" not in measured:
                measured["hello"] = _endpoint(port, work / "hello.txt", server.pid)
            if status == 200:
                measured[run] = _endpoint(port, work / "verify.txt", server.pid)
        finally:
            stop(server)
        if any(figures["errors"] for figures in measured.values()):
            tail = log.read_text(errors="replace").splitlines()[-20:]
            print(f"  errors during the {run} run; the end of gunicorn's log:", *tail, sep="\n    ")
        if status != 200:
            break

    hello = measured["hello"]
    cache = "Redis" if redis_url else "per-process memory (no Redis)"
    print(
        f"verification API: {described}, wrk {WRK_THREADS} threads x {WRK_CONNECTIONS} "
        f"connections, best of {MEASURED_RUNS} x {MEASURE_S} s after {WARMUP_S} s warm-up; "
        f"cache: {cache}"
    )
    results = {
        "server": described,
        "cache": cache,
        "load_before": load,
        "hello_rps": round(hello["rps"], 1),
        "hello_p50_ms": _ms(hello["p50_us"]),
        "hello_p99_ms": _ms(hello["p99_us"]),
        "hello_errors": hello["errors"],
        "hello_server_cpu_us": round(hello["server_cpu_us"]),
        "verify_probe": probe,
        "targets": {
            "verify_vs_hello": TARGET_VERIFY_VS_HELLO,
            "verify_p99_ms": TARGET_VERIFY_P99_MS,
        },
    }
    print(
        f"  hello_rps              {hello['rps']:8.1f}      baseline: /api/v1/hello; p50 "
        f"{_ms(hello['p50_us']):.2f} ms, p99 {_ms(hello['p99_us']):.2f} ms, "
        f"{hello['errors']} errors; server CPU {hello['server_cpu_us']:.0f} us/request"
    )
    if "as configured" not in measured:
        print(
            f"  verify_rps             FAIL: {paths[0].split('?')[0]} answered {probe['status']}, "
            f"not 200: {probe['body'][:120]!r}"
        )
        return results, False
    ok = True
    for run, prefix in (("as configured", "verify"), ("uncached", "verify_uncached")):
        figures = measured[run]
        ratio = figures["rps"] / hello["rps"]
        p99 = _ms(figures["p99_us"])
        ratio_ok, p99_ok = ratio >= TARGET_VERIFY_VS_HELLO, p99 < TARGET_VERIFY_P99_MS
        if prefix == "verify":  # the targets are the API's as deployed; uncached is information
            ok &= ratio_ok and p99_ok and figures["errors"] == 0
        results.update(
            {
                f"{prefix}_rps": round(figures["rps"], 1),
                f"{prefix}_p50_ms": _ms(figures["p50_us"]),
                f"{prefix}_p99_ms": p99,
                f"{prefix}_errors": figures["errors"],
                f"{prefix}_vs_hello": round(ratio, 3),
                f"{prefix}_server_cpu_us": round(figures["server_cpu_us"]),
            }
        )
        print(
            f"  {prefix + '_rps':22s} {figures['rps']:8.1f}      = {ratio:.0%} of hello_rps "
            f"[{'PASS' if ratio_ok else 'FAIL'} >= {TARGET_VERIFY_VS_HELLO:.0%}]; "
            f"{figures['errors']} errors; server CPU {figures['server_cpu_us']:.0f} us/request "
            f"({run})"
        )
        print(
            f"  {prefix + '_p99_ms':22s} {p99:8.2f} ms   vs hello_p99_ms "
            f"{_ms(hello['p99_us']):.2f} ms; p50 {_ms(figures['p50_us']):.2f} ms "
            f"[{'PASS' if p99_ok else 'FAIL'} < {TARGET_VERIFY_P99_MS:.0f} ms]"
        )
    return results, ok


def main() -> int:
    chosen = [s for s in os.environ.get("BENCH_ONLY", ",".join(SECTIONS)).split(",") if s]
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        print(f"BENCH_ONLY: unknown sections {sorted(unknown)}; known: {', '.join(SECTIONS)}")
        return 2
    url = os.environ.get("DATABASE_URL", "")
    vendor = ensure_database(url) if url else "sqlite3"
    work = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not redis_reachable(redis_url):
        print(f"no Redis at {redis_url}: the broker is a folder, the cache per process")
        redis_url = None
        os.environ["CELERY_BROKER_URL"] = "filesystem://localhost//"
        os.environ["CELERY_FILESYSTEM_DIR"] = str(work / "broker")
    else:
        os.environ["CELERY_BROKER_URL"] = redis_url
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    results = {"database": vendor, "sections": chosen}
    ok = True
    try:
        if "roster" in chosen:
            figures, passed = bench_roster()
            results.update(figures)
            ok &= passed
        if "certificates" in chosen:
            figures, passed = bench_certificates(work)
            results["certificates"] = figures
            results.update({k: v for k, v in figures.items() if k.startswith("cert_")})
            ok &= passed
        if "verify" in chosen:
            figures, passed = bench_verify(work, redis_url)
            results["verify"] = figures
            results.update({k: v for k, v in figures.items() if k.endswith(("_rps", "_p99_ms"))})
            ok &= passed
        if "scale" in chosen:
            import scale  # bench/scale.py, beside this file

            figures, passed = scale.bench_scale(sys.modules[__name__], work, redis_url)
            results["scale"] = figures
            results.update({k: v for k, v in figures.items() if k.startswith(("scale_", "demo_"))})
            ok &= passed
        if "load" in chosen:
            import load_run  # bench/load_run.py, beside this file

            figures, passed = load_run.bench_load(sys.modules[__name__], work, redis_url)
            results["load"] = figures
            results.update({k: figures[k] for k in load_run.FIGURES if k in figures})
            ok &= passed
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if _OWN_MEDIA:
            shutil.rmtree(os.environ["MEDIA_ROOT"], ignore_errors=True)
    results["python"] = platform.python_version()
    results["cores"] = os.cpu_count()
    results["measured_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"database {vendor}; written {RESULTS.relative_to(ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
