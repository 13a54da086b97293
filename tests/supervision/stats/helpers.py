"""Builders for the statistics and flag tests (no tests here): plans with decided rosters and
result batches, component scores, certificates and examiners, with stored dates only."""

import datetime as dt
import itertools
from unittest import mock

from assessments.models import ExamineeScore, ResultBatch
from certificates.models import Certificate
from tests.assessments.factories import RosterEntryFactory, approved_scheme, id_number
from tests.assessments.results.factories import acknowledged_plan

TODAY = dt.date(2026, 12, 14)
YEAR = 2026
_numbers = itertools.count(1)
_people = itertools.count(1)


def today_is(day: dt.date = TODAY):
    """The portal's today (timezone.localdate) pinned, so the figures do not age."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def plan_with_results(
    enterprise,
    results: list[tuple[int, str]],
    *,
    code: str = "6-18-01-01",
    name: str = "车工",
    batch_status: str | None = "approved",
    submitted_on: dt.date = dt.date(2026, 11, 10),
    approved_on: dt.date | None = dt.date(2026, 11, 18),
    plan_submitted_on: dt.date = dt.date(2026, 9, 1),
    people: list[str] | None = None,
):
    """An acknowledged plan of `enterprise` for occupation `code`, one roster entry per
    (level, result), and its result batch in `batch_status` (None: no batch)."""
    scheme = approved_scheme(enterprise, code=code, name=name, levels=(5, 4, 3, 2))
    plan = acknowledged_plan(enterprise, scheme=scheme, submitted_on=plan_submitted_on)
    occupation = {"occupation_code": code, "occupation_name": name}
    entries = []
    for index, (level, result) in enumerate(results):
        number = people[index] if people else id_number(next(_people))
        entries.append(
            RosterEntryFactory(
                plan=plan, id_number=number, level=level, result=result, **occupation
            )
        )
    if batch_status:
        ResultBatch.objects.create(
            plan=plan,
            status=batch_status,
            published_on=dt.date(2026, 11, 2),
            publicity_ends_on=dt.date(2026, 11, 9),
            filing_due_on=dt.date(2026, 11, 30),
            submitted_on=submitted_on if batch_status in ("submitted", "approved") else None,
            approved_on=approved_on if batch_status == "approved" else None,
        )
    return plan, entries


def scores(entry, **by_component) -> None:
    for component, score in by_component.items():
        ExamineeScore.objects.create(entry=entry, component=component, score=score)


def certificate_for(entry, *, issued_on: dt.date = dt.date(2026, 11, 20), status="valid"):
    enterprise = entry.plan.enterprise
    copied = ("id_type", "id_number", "occupation_code", "occupation_name", "level")
    return Certificate.objects.create(
        number=f"Y00004401234526{entry.level}{next(_numbers):06d}",
        enterprise=enterprise,
        entry=entry,
        holder_name=entry.name,
        issuer_name=enterprise.name,
        issued_on=issued_on,
        status=status,
        **{field: getattr(entry, field) for field in copied},
    )
