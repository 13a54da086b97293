"""Acknowledged plans, session evidence (R-C1) and result batches (R-R1, R-R2) for the tests, and
the objects the access matrix needs for their pages (`result_matrix_objects`).

Dates are stored, never counted from today, so the scenario does not depend on the day the
suite runs. Files are the smallest bytes `filetype` recognises for each format.
"""

import datetime as dt
import hashlib
import struct

from django.core.files.base import ContentFile

from assessments.models import (
    AssessmentSession,
    ImplementationPlan,
    Objection,
    ResultBatch,
    SessionEvidence,
)
from tests.assessments.factories import PlanFactory, RosterEntryFactory
from tests.support.factories import MINIMAL_PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64
M4A = b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42isom" + b"\x00" * 64
WAV = b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + b"\x00" * 64
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 64
WEBM = (
    bytes.fromhex("1a45dfa3")
    + b"\x9fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webm"
)
MOV = b"\x00\x00\x00\x14ftypqt  " + b"\x00" * 64


def acknowledged_plan(enterprise, **fields) -> ImplementationPlan:
    """A plan the city acknowledged, with one session on 2026-10-20."""
    values = {
        "status": "acknowledged",
        "submitted_on": dt.date(2026, 9, 1),
        "acknowledged_on": dt.date(2026, 9, 8),
    }
    values.update(fields)
    plan = PlanFactory(enterprise=enterprise, **values)
    AssessmentSession.objects.create(
        plan=plan,
        date=dt.date(2026, 10, 20),
        starts_at=dt.time(9),
        ends_at=dt.time(11),
        site="实训楼",
        room="201",
        component="practical",
    )
    return plan


def with_results(plan: ImplementationPlan, *results: str) -> list:
    """One roster entry per result given ("passed", "failed", "pending")."""
    return [
        RosterEntryFactory(plan=plan, result=result, total_score=80 if result == "passed" else None)
        for result in results
    ]


def evidence_file(
    session,
    user,
    *,
    data: bytes = MINIMAL_PDF,
    name: str = "签到表.pdf",
    kind: str = "document",
    content_type: str = "application/pdf",
    retain_until: dt.date = dt.date(2028, 10, 20),
) -> SessionEvidence:
    evidence = SessionEvidence(
        session=session,
        kind=kind,
        original_name=name,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user,
        retain_until=retain_until,
    )
    evidence.file.save(f"session{session.pk}.pdf", ContentFile(data), save=False)
    evidence.save()
    return evidence


def publicised_batch(
    plan: ImplementationPlan,
    *,
    published_on: dt.date = dt.date(2026, 11, 2),
    publicity_ends_on: dt.date | None = dt.date(2026, 11, 9),
    filing_due_on: dt.date | None = dt.date(2026, 11, 30),
    **fields,
) -> ResultBatch:
    """Published Monday 2026-11-02: publicity until 11-09, filing due 11-30 (5 + 15 days)."""
    return ResultBatch.objects.create(
        plan=plan,
        status=fields.pop("status", "publicised"),
        published_on=published_on,
        publicity_ends_on=publicity_ends_on,
        filing_due_on=filing_due_on,
        **fields,
    )


def objection(batch: ResultBatch, *, entry=None, resolved: bool = False, **fields) -> Objection:
    values = {
        "raised_on": batch.published_on,
        "raised_by": "车间二班 李工",
        "content": "理论成绩登记有误，请复核。",
    }
    if resolved:
        values.update(resolution="复核后成绩无误，维持原结果。", resolved_on=batch.published_on)
    values.update(fields)
    return Objection.objects.create(batch=batch, entry=entry, **values)


def result_matrix_objects(*, enterprise, people: dict) -> dict:
    """Objects of enterprise A for the access matrix: an acknowledged plan with a session, one
    evidence file kept until 2028, a publicised batch with an open objection; a second
    acknowledged plan whose batch is submitted and waits for the city's decision."""
    plan = acknowledged_plan(enterprise)
    session = plan.sessions.get()
    entries = with_results(plan, "passed", "failed")
    evidence = evidence_file(session, people["alice"])
    batch = publicised_batch(plan)
    open_objection = objection(batch, entry=entries[1])
    submitted = acknowledged_plan(enterprise)
    with_results(submitted, "passed")
    publicised_batch(submitted, status="submitted", submitted_on=dt.date(2026, 11, 12))
    return {
        "acknowledged_plan": {"pk": plan.pk},
        "acknowledged_session": {"pk": plan.pk, "session_id": session.pk},
        "evidence": {"pk": plan.pk, "evidence_id": evidence.pk},
        "objection": {"pk": plan.pk, "objection_id": open_objection.pk},
        "submitted_results": {"pk": submitted.pk},
    }


__all__ = [
    "JPEG",
    "M4A",
    "MOV",
    "MP3",
    "MP4",
    "PNG",
    "WAV",
    "WEBM",
    "acknowledged_plan",
    "evidence_file",
    "objection",
    "publicised_batch",
    "result_matrix_objects",
    "with_results",
]
