"""`make bench`: the roster import (issue 3, R-P5) against a bare openpyxl read of the same file.

Generates a 10,000-row roster of valid rows with realistic values (written with openpyxl), then
times, best of three runs each:

- openpyxl_read_10k_s: a bare openpyxl read-only pass over the file (the baseline);
- roster_import_10k_s: the import end to end, bytes in, rows committed in the database given by
  DATABASE_URL (PostgreSQL in `make bench`, a scratch database created when missing): the ZIP
  and formula checks, every row rule (R-P3, R-P4, R-P5, R-P5a) and the bulk insert.

The target is roster_import_10k_s <= openpyxl_read_10k_s (ratio <= 1.0). For information it also
times the page's flow: upload with its checked preview, then the import (the file checked twice).
Figures go to bench/results.json (git-ignored); the exit status is 1 when the target is missed.
"""

import datetime as dt
import io
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
ROWS = 10_000
RUNS = 3
TARGET_RATIO = 1.0

sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="portal-bench-media-"))
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")


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


def generated_roster(rows: int = ROWS, seed: int = 20260101) -> bytes:
    """A valid roster for 6-18-01-01 车工, levels 5 and 4, in the official format."""
    from openpyxl import Workbook
    from stdnum.cn import ric

    from assessments.roster import CATEGORY_HEADER, HEADERS

    rng = random.Random(seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名册")
    sheet.append(["职业技能等级认定人员名册"])
    sheet.append([*HEADERS, CATEGORY_HEADER])
    seen: set[str] = set()
    n = 0
    while n < rows:
        born = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(14000))
        body = f"{rng.choice(REGIONS)}{born:%Y%m%d}{rng.randrange(1000):03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number in seen:
            continue
        seen.add(number)
        n += 1
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


def bench_plan():
    """A fresh draft plan of a bench enterprise; earlier bench plans are removed first."""
    from stdnum.cn import uscc

    from assessments.models import EvaluationScheme, ImplementationPlan
    from filings.models import Enterprise, Filing, FilingScopeLine, Occupation
    from portal.core.models import Bureau, CityPolicy

    province, _ = Bureau.objects.get_or_create(
        code="BENCH44", defaults={"name": "基准测试省", "level": "province"}
    )
    city, _ = Bureau.objects.get_or_create(
        code="BENCH4403", defaults={"name": "基准测试市", "level": "city", "parent": province}
    )
    district, _ = Bureau.objects.get_or_create(
        code="BENCH440305", defaults={"name": "基准测试区", "level": "district", "parent": city}
    )
    CityPolicy.objects.get_or_create(city=city)
    body = "91440300BENCH0001"
    enterprise, _ = Enterprise.objects.get_or_create(
        credit_code=body + uscc.calc_check_digit(body),
        defaults={
            "name": "南山精密机械有限公司（基准测试）",
            "district": district,
            "address": "深圳市南山区科技园1号",
            "legal_representative": "王建国",
            "contact_name": "李四",
            "contact_phone": "13800138000",
            "status": "active",
        },
    )
    occupation, _ = Occupation.objects.get_or_create(code="6-18-01-01", defaults={"name": "车工"})
    scheme = EvaluationScheme.objects.filter(enterprise=enterprise, status="approved").first()
    if scheme is None:
        filing = Filing.objects.create(
            enterprise=enterprise,
            status="approved",
            number="BENCH-0001",
            approved_on=dt.date(2025, 1, 6),
            valid_until=dt.date(2099, 12, 31),
        )
        line = FilingScopeLine.objects.create(
            filing=filing, occupation=occupation, levels=[5, 4, 3]
        )
        scheme = EvaluationScheme.objects.create(
            enterprise=enterprise,
            scope_line=line,
            status="approved",
            standard_name="车工国家职业技能标准",
            levels=[5, 4, 3],
            methods=["theory_exam", "practical"],
        )
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
    from assessments import roster_services

    plan.roster.all().delete()
    start = time.perf_counter()
    outcome = roster_services.roster_import(plan=plan, actor=None, data=data, filename="bench.xlsx")
    elapsed = time.perf_counter() - start
    assert outcome.imported == ROWS and plan.roster.count() == ROWS, outcome
    return elapsed


def time_page_flow(plan, data: bytes) -> float:
    from assessments import roster_services

    plan.roster.all().delete()
    start = time.perf_counter()
    job = roster_services.roster_upload(plan=plan, actor=None, data=data, filename="bench.xlsx")
    job = roster_services.roster_job_import(job=job, actor=None, only_good=False)
    elapsed = time.perf_counter() - start
    assert job.result.get("imported") == ROWS, (job.result.get("phase"), job.message)
    return elapsed


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    vendor = ensure_database(url) if url else "sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    from assessments import roster_services

    call_command("migrate", verbosity=0)
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
        "database": vendor,
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
        "python": platform.python_version(),
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    verdict = "meets" if ratio <= TARGET_RATIO else "MISSES"
    print(f"{ROWS} rows, {len(data) // 1024} KiB, {vendor}, best of {RUNS}")
    print(f"  openpyxl_read_10k_s  {baseline:7.3f} s   baseline: bare openpyxl read-only pass")
    print(
        f"  roster_import_10k_s  {ours:7.3f} s   vs baseline {baseline:.3f} s: ratio {ratio:.2f} "
        f"({verdict} the target <= {TARGET_RATIO})"
    )
    print(
        f"  upload (preview) + import  {flow:7.3f} s   vs baseline {baseline:.3f} s: "
        f"ratio {flow / baseline:.2f} (for information)"
    )
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
