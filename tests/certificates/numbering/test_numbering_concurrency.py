"""R-K2 under real concurrency: separate OS processes issue certificates at the same moment.

Each child process is a fresh Python with Django set up on the test database (committed data:
`transaction=True`). All children connect, say they are ready, and block on their standard
input; the test releases them together, so their issuances overlap. Four children issue three
batches each of the same enterprise, year and level; two more race to issue one same batch.

On PostgreSQL the serials queue behind the counter row's lock. On SQLite (the local default)
writers queue for the database lock at BEGIN (IMMEDIATE, as portal.settings configures its
SQLite database); a child retries on "database is locked" only there, so the test cannot be
flaky for a reason PostgreSQL does not have. A retry is safe: the whole issuance rolls back.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from assessments.models import ResultBatch
from certificates.models import Certificate, IssueBatch
from certificates.numbering import numbers as numbering
from portal.core.counters import peek
from tests.certificates.factories import ISSUED_ON, approved_batch, prefix_for
from tests.support.processes import database_url

WORKERS = 4
BATCHES_PER_WORKER = 3
RESULTS = ("passed",) * 8 + ("failed",)
CHILD_DEADLINE_S = 180

CHILD = r"""
import datetime as dt
import json
import os
import sys
import time

import django
from django.conf import settings

database = settings.DATABASES["default"]
SQLITE = database["ENGINE"].endswith("sqlite3")
if SQLITE:
    # As portal.settings configures its own SQLite database, with a longer wait for the lock.
    database["OPTIONS"] = {"timeout": 60, "transaction_mode": "IMMEDIATE"}
django.setup()

from django.contrib.auth import get_user_model
from django.db import OperationalError, connection

from assessments.models import ResultBatch
from certificates.issuance import services
from portal.core.errors import ServiceError

actor = get_user_model().objects.get(pk=int(os.environ["ISSUE_ACTOR"]))
issued_on = dt.date.fromisoformat(os.environ["ISSUE_ON"])
batch_ids = [int(arg) for arg in sys.argv[1:]]
connection.ensure_connection()
print("ready", flush=True)
sys.stdin.readline()  # the test releases every child at once

outcomes = []
for batch_id in batch_ids:
    started = time.time()
    for attempt in range(100):
        try:
            issued = services.issue_certificates(
                result_batch=ResultBatch(pk=batch_id), actor=actor, issued_on=issued_on
            )
        except ServiceError as refusal:
            outcome = {"refused": [str(p) for p in refusal.problems] or [str(refusal)]}
        except OperationalError as exc:
            if SQLITE and "locked" in str(exc) and attempt < 99:
                time.sleep(0.02 * (1 + attempt % 5))
                continue
            raise
        else:
            outcome = {"issued": issued.pk}
        break
    outcome.update(batch=batch_id, started=started, ended=time.time(), attempts=attempt + 1)
    outcomes.append(outcome)
print(json.dumps(outcomes), flush=True)
"""


def _start_child(batch_ids: list[int], actor, env: dict, log: Path) -> subprocess.Popen:
    with log.open("wb") as stderr:
        return subprocess.Popen(
            [sys.executable, "-c", CHILD, *map(str, batch_ids)],
            cwd=settings.BASE_DIR,
            env={**env, "ISSUE_ACTOR": str(actor.pk)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )


def _child_env(tmp_path: Path) -> dict:
    """The test database; tasks go to a broker folder nobody reads (printing is not tested here)."""
    broker = tmp_path / "broker"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url(),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CELERY_BROKER_URL": "filesystem://localhost//",
        "CELERY_FILESYSTEM_DIR": str(broker),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "ISSUE_ON": ISSUED_ON.isoformat(),
        "PYTHONUNBUFFERED": "1",
    }
    return env


def _run_together(groups: list[list[int]], actor, tmp_path: Path) -> list[dict]:
    """Start one child per group, wait until all are ready, release them together."""
    env = _child_env(tmp_path)
    # This process holds no lock while the children run.
    connection.close()
    children = [
        (_start_child(group, actor, env, tmp_path / f"child-{n}.log"), tmp_path / f"child-{n}.log")
        for n, group in enumerate(groups)
    ]
    try:
        for child, log in children:
            line = child.stdout.readline().strip()
            assert line == "ready", f"child not ready ({line!r}):\n{log.read_text()}"
        for child, _log in children:
            child.stdin.write("go\n")
            child.stdin.flush()
        outcomes = []
        for child, log in children:
            out, _err = child.communicate(timeout=CHILD_DEADLINE_S)
            assert child.returncode == 0, f"child failed:\n{log.read_text()}"
            outcomes.extend(json.loads(out.strip().splitlines()[-1]))
        return outcomes
    finally:
        for child, _log in children:
            if child.poll() is None:
                child.kill()
                child.wait()


def _serial(number: str) -> int:
    parsed = numbering.parse(number)
    assert parsed is not None, number
    return parsed.serial


@pytest.mark.django_db(transaction=True)
def test_r_k2_concurrent_issuers_get_gap_free_serials_and_a_batch_is_issued_once(
    ent_a, alice, tmp_path
):
    prefix_for(ent_a)
    groups = [
        [approved_batch(ent_a, *RESULTS).pk for _ in range(BATCHES_PER_WORKER)]
        for _ in range(WORKERS)
    ]
    raced = approved_batch(ent_a, *RESULTS).pk
    groups += [[raced], [raced]]
    passed_each = RESULTS.count("passed")
    expected = (WORKERS * BATCHES_PER_WORKER + 1) * passed_each

    outcomes = _run_together(groups, alice, tmp_path)

    timeline = "\n".join(
        f"batch {o['batch']}: {o['started']:.3f}–{o['ended']:.3f} "
        f"{'issued' if 'issued' in o else 'refused'} after {o['attempts']} attempt(s)"
        for o in sorted(outcomes, key=lambda o: o["started"])
    )
    race = [o for o in outcomes if o["batch"] == raced]
    assert sorted("issued" in o for o in race) == [False, True], timeline
    (refusal,) = [o for o in race if "refused" in o]
    assert any("证书已经核发" in problem for problem in refusal["refused"]), refusal
    others = [o for o in outcomes if o["batch"] != raced]
    assert all("issued" in o for o in others), others
    assert IssueBatch.objects.filter(result_batch_id=raced).count() == 1

    numbers = list(Certificate.objects.filter(enterprise=ent_a).values_list("number", flat=True))
    serials = sorted(_serial(n) for n in numbers)
    # No gap, no duplicate: exactly 1..N over every issuance of the enterprise, year and level.
    assert serials == list(range(1, expected + 1)), timeline
    assert {numbering.parse(n).level for n in numbers} == {4}
    assert peek(numbering.counter_key(ent_a.pk, ISSUED_ON.year, 4)) == expected
    # Each batch holds one run of consecutive serials, in roster order.
    for result_batch in ResultBatch.objects.filter(plan__enterprise=ent_a):
        in_batch = [
            _serial(n)
            for n in Certificate.objects.filter(batch__result_batch=result_batch)
            .order_by("position")
            .values_list("number", flat=True)
        ]
        assert len(in_batch) == passed_each
        assert in_batch == list(range(in_batch[0], in_batch[0] + passed_each)), in_batch
