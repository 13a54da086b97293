"""Assessment evidence past its retention period is deleted, never before R-C1's two years."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.evidence.services import RETENTION_YEARS
from assessments.models import SessionEvidence
from portal.core.audit import audit_record, register_labels
from portal.core.retention import RetentionRule, register


def expire_evidence(before) -> int:
    expired = SessionEvidence.objects.filter(
        uploaded_at__lt=before, retain_until__lte=timezone.localdate()
    ).select_related("session__plan")
    count = 0
    for evidence in expired.iterator():
        plan, stored = evidence.session.plan, evidence.file.name
        with transaction.atomic():
            evidence.delete()
            audit_record(
                obj=plan,
                actor=None,
                action="evidence_expired",
                note=f"{evidence.session}：{evidence.original_name}",
            )
            transaction.on_commit(
                lambda name=stored: SessionEvidence.file.field.storage.delete(name)
            )
        count += 1
    return count


def register_evidence_retention() -> None:
    register_labels(actions={"evidence_expired": _("evidence deleted (retention period over)")})
    register(
        RetentionRule(
            kind="assessment_evidence",
            label=_("Assessment evidence"),
            setting="RETENTION_EVIDENCE_DAYS",
            expire=expire_evidence,
            minimum_days=RETENTION_YEARS * 366,
        )
    )
