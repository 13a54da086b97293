"""R-C1: the trace every assessment session leaves (documents, photos, audio, video), kept 2
years. Files are checked by their content, never by their name (portal.core.uploads)."""

import datetime as dt

from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    AssessmentSession,
    EvidenceKind,
    ImplementationPlan,
    PlanStatus,
    SessionEvidence,
)
from portal.core.audit import audit_record
from portal.core.errors import ServiceError
from portal.core.uploads import CheckedUpload, check_file
from portal.core.workflow import locked

RETENTION_YEARS = 2  # R-C1
EVIDENCE_REFUSAL = gettext_lazy(
    "Evidence is kept for the sessions of a plan the city acknowledged."
)
MB = 1024 * 1024
# Per kind: accepted content types (→ stored extension) and the largest file accepted.
ACCEPTED = {
    EvidenceKind.DOCUMENT: {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"},
    EvidenceKind.PHOTO: {"image/jpeg": "jpg", "image/png": "png"},
    EvidenceKind.AUDIO: {"audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/x-wav": "wav"},
    EvidenceKind.VIDEO: {"video/mp4": "mp4", "video/webm": "webm"},
}
SIZE_LIMITS = {
    EvidenceKind.DOCUMENT: 20 * MB,
    EvidenceKind.PHOTO: 20 * MB,
    EvidenceKind.AUDIO: 100 * MB,
    EvidenceKind.VIDEO: 200 * MB,
}


def accepted_formats(kind: str) -> str:
    return "、".join(ext.upper() for ext in ACCEPTED[kind].values())


def evidence_rules() -> list[tuple[str, str, str]]:
    """(kind, formats, size limit) for the upload page."""
    return [
        (label, accepted_formats(kind), filesizeformat(SIZE_LIMITS[kind]))
        for kind, label in EvidenceKind.choices
    ]


def check_evidence(upload, kind: str) -> CheckedUpload:
    """Type by content and size per kind (portal.core.uploads); a ValidationError names the
    file, the kind and the limit."""
    return check_file(
        upload,
        field=_("a file of kind “%(kind)s”") % {"kind": EvidenceKind(kind).label},
        accepted=ACCEPTED[kind],
        limit=SIZE_LIMITS[kind],
    )


def retain_until_for(uploaded_on: dt.date) -> dt.date:
    """R-C1: two years from the upload; a 29 February is kept until 1 March, never less."""
    try:
        return uploaded_on.replace(year=uploaded_on.year + RETENTION_YEARS)
    except ValueError:
        return dt.date(uploaded_on.year + RETENTION_YEARS, 3, 1)


@transaction.atomic
def evidence_add(
    *,
    plan: ImplementationPlan,
    session: AssessmentSession,
    actor,
    kind: str,
    upload,
    checked: CheckedUpload,
    description: str = "",
) -> SessionEvidence:
    """Store an upload already checked by check_evidence (`checked`)."""
    plan = locked(plan, statuses=[PlanStatus.ACKNOWLEDGED], refusal=EVIDENCE_REFUSAL)
    if session.plan_id != plan.pk:
        raise ServiceError(_("The session is not one of this plan."))
    evidence = SessionEvidence(
        session=session,
        kind=kind,
        description=description,
        uploaded_by=actor,
        retain_until=retain_until_for(timezone.localdate()),
    )
    evidence.store(upload, checked, stem=f"session{session.pk}")
    audit_record(
        obj=plan,
        actor=actor,
        action="evidence_add",
        note=f"{session}：{evidence.original_name}",
    )
    return evidence


@transaction.atomic
def evidence_delete(*, plan: ImplementationPlan, actor, evidence: SessionEvidence) -> None:
    """R-C1: nothing is deleted before its two years are up."""
    plan = locked(plan, statuses=[PlanStatus.ACKNOWLEDGED], refusal=EVIDENCE_REFUSAL)
    evidence = SessionEvidence.objects.select_for_update(of=("self",)).get(
        pk=evidence.pk, session__plan=plan
    )
    if timezone.localdate() < evidence.retain_until:
        raise ServiceError(
            _(
                # R-C1
                "“%(name)s” must be kept until %(date)s (every trace of an assessment is "
                "kept 2 years); it cannot be deleted before then."
            )
            % {"name": evidence.original_name, "date": date_format(evidence.retain_until, "Y-m-d")}
        )
    note = f"{evidence.session}：{evidence.original_name}"
    stored = evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: SessionEvidence.file.field.storage.delete(stored))
    audit_record(obj=plan, actor=actor, action="evidence_delete", note=note)


# How the audit trail names this area's actions (registered by AssessmentsConfig.ready).
AUDIT_ACTIONS = {
    "evidence_add": gettext_lazy("session evidence uploaded"),
    "evidence_delete": gettext_lazy("session evidence deleted after its retention"),
}
