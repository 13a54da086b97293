"""Approved result batches with passed examinees, prefixes and issued certificates."""

import datetime as dt

from django.test import TestCase

from assessments.models import ResultBatch
from certificates.issuance import services
from certificates.models import NumberingPrefix
from tests.assessments.results.factories import acknowledged_plan, with_results

ISSUED_ON = dt.date(2026, 11, 20)
# The day the page tests run on: two days after ISSUED_ON.
TODAY = dt.date(2026, 11, 22)


def prefix_for(enterprise, *, site_serial: str = "012345", **fields) -> NumberingPrefix:
    values = {"category": "Y", "institution_code": "0000", "province_code": "44"}
    values.update(fields)
    return NumberingPrefix.objects.create(enterprise=enterprise, site_serial=site_serial, **values)


def approved_batch(enterprise, *results: str, **plan_fields) -> ResultBatch:
    """An acknowledged plan whose results the city approved on 2026-11-18."""
    plan = acknowledged_plan(enterprise, **plan_fields)
    with_results(plan, *(results or ("passed", "passed", "failed")))
    return ResultBatch.objects.create(
        plan=plan,
        status="approved",
        published_on=dt.date(2026, 11, 2),
        publicity_ends_on=dt.date(2026, 11, 9),
        filing_due_on=dt.date(2026, 11, 30),
        submitted_on=dt.date(2026, 11, 10),
        approved_on=dt.date(2026, 11, 18),
    )


def issued_batch(
    enterprise,
    actor,
    *results: str,
    issued_on: dt.date = ISSUED_ON,
    site_serial: str = "012345",
    **plan_fields,
):
    """Certificates issued (the batch PDF printed in-process: tests run tasks eagerly)."""
    if not NumberingPrefix.objects.filter(enterprise=enterprise).exists():
        prefix_for(enterprise, site_serial=site_serial)
    batch = approved_batch(enterprise, *results, **plan_fields)
    with TestCase.captureOnCommitCallbacks(execute=True):
        issued = services.issue_certificates(result_batch=batch, actor=actor, issued_on=issued_on)
    issued.refresh_from_db()
    return issued
