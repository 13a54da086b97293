"""Inspections by the drawn quality supervisors and their findings (R-C2, R-M1, R-C1, R-C3).

planned → reported (the supervisor records the checklist and conclusion) → closed (the bureau,
once no finding waits for the enterprise or for the bureau). A finding that needs
rectification is open until the enterprise answers it; the bureau closes the answer or returns
it with a new deadline. A finding without rectification is only noted.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core import workdays
from portal.core.audit import audit_record
from portal.core.errors import FieldsInvalid, InvalidTransition
from portal.core.models import Role
from portal.core.workflow import bump, locked, transition
from supervision.models import (
    AttachmentSide,
    Finding,
    FindingAttachment,
    FindingSeverity,
    FindingStatus,
    Inspection,
    InspectionConclusion,
    InspectionStatus,
)
from supervision.notifications.services import notify_all

# The checklist a supervisor works through on site: what the plan promised (R-P1), what must
# leave a trace (R-C1), who assessed (R-C3) and that the supervision itself happened (R-C2).
CHECKLIST = [
    ("site", gettext_lazy("Site and equipment as in the plan"), "R-C1"),
    ("examiners", gettext_lazy("Examiners as in the plan, qualifications valid"), "R-C3"),
    ("identity", gettext_lazy("Identity of examinees checked"), "R-P3"),
    ("records", gettext_lazy("Assessment records, audio and video kept"), "R-C1"),
    ("papers", gettext_lazy("Papers and scoring records complete"), "R-C1"),
    ("supervision", gettext_lazy("Internal quality supervisors present"), "R-P1"),
    ("fees", gettext_lazy("Fees and public notices"), "R-M5"),
]
CHECKLIST_RESULTS = [
    ("ok", gettext_lazy("In order")),
    ("problem", gettext_lazy("Problem")),
    ("na", gettext_lazy("Not applicable")),
]
RECTIFY_WORKING_DAYS = 10


def _today() -> dt.date:
    return timezone.localdate()


def _d(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def default_rectify_by(today: dt.date | None = None) -> dt.date:
    """Ten working days from today; raises CalendarMissing when the calendar has no data."""
    return workdays.add_working_days(today or _today(), RECTIFY_WORKING_DAYS)


def _enterprise_users(enterprise):
    return get_user_model().objects.filter(
        membership__enterprise=enterprise, membership__role=Role.ENTERPRISE, is_active=True
    )


INSPECTION_RELATED = ("enterprise", "draw")
FINDING_RELATED = ("inspection", "inspection__enterprise")


def _notify_open_findings(inspection: Inspection, findings) -> None:
    """Tell the enterprise's operators what they must rectify and by when (R-C2)."""
    findings = [f for f in findings if f.status == FindingStatus.OPEN]
    if not findings:
        return
    url = reverse("inspection_detail", kwargs={"pk": inspection.pk})
    first_due = min(f.rectify_by for f in findings)
    notify_all(
        _enterprise_users(inspection.enterprise),
        kind="inspection_findings",
        title=_("Inspection findings to rectify: %(count)s") % {"count": len(findings)},
        body=_(
            "The quality supervisors of “%(draw)s” recorded %(count)s findings to rectify; "
            "the first is due on %(date)s."
        )
        % {"draw": inspection.draw.title, "count": len(findings), "date": _d(first_due)},
        url=url,
    )


def _save_attachments(finding: Finding, *, actor, side: str, uploads) -> list[str]:
    """`uploads` are (file, checked) pairs already checked by filings.uploads.check_upload."""
    names = []
    for upload, checked in uploads:
        attachment = FindingAttachment(finding=finding, side=side, uploaded_by=actor)
        attachment.store(upload, checked, stem=checked.sha256[:16])
        names.append(attachment.original_name)
    return names


# ---------------------------------------------------------------------------------------------
# The supervisor's report


@transaction.atomic
def inspection_record(
    *,
    inspection: Inspection,
    actor,
    checklist: dict,
    visited_on: dt.date | None,
    conclusion: str,
    summary: str,
    expected_version: int,
    submit: bool,
) -> Inspection:
    """Save the checklist (draft while planned) or submit the report: planned → reported."""
    inspection = locked(
        inspection,
        statuses=[InspectionStatus.PLANNED],
        expected_version=expected_version,
        related=INSPECTION_RELATED,
        # R-C2
        refusal=_("This inspection is already reported; its record can no longer change."),
    )
    errors = {}
    if visited_on and visited_on > _today():
        # R-C2
        errors["visited_on"] = _("The inspection date cannot be in the future.")
    if submit:
        if not visited_on:
            # R-C2
            errors["visited_on"] = _("Give the date of the inspection to report it.")
        if not conclusion:
            # R-C2
            errors["conclusion"] = _("Choose a conclusion to report the inspection.")
        missing = [str(label) for key, label, _rule in CHECKLIST if key not in checklist]
        if missing:
            errors[None] = _("Check every item of the checklist before reporting: %(items)s.") % {
                "items": "、".join(missing)
            }
        if (
            conclusion
            and conclusion != InspectionConclusion.COMPLIANT
            and not inspection.findings.exists()
        ):
            errors["conclusion"] = _(
                # R-C2
                "The conclusion says problems were found: record at least one finding before "
                "reporting."
            )
    if errors:
        raise FieldsInvalid(errors)
    inspection.checklist = checklist
    inspection.visited_on = visited_on
    inspection.conclusion = conclusion
    inspection.summary = summary
    fields = ["checklist", "visited_on", "conclusion", "summary"]
    if submit:
        inspection.reported_at = timezone.now()
        transition(
            inspection,
            actor=actor,
            to=InspectionStatus.REPORTED,
            action="inspection_report",
            note=inspection.get_conclusion_display(),
            fields=[*fields, "reported_at"],
        )
        _notify_open_findings(inspection, list(inspection.findings.all()))
    else:
        bump(inspection, fields)
        audit_record(obj=inspection, actor=actor, action="inspection_draft")
    return inspection


@transaction.atomic
def finding_add(
    *,
    inspection: Inspection,
    actor,
    description: str,
    severity: str,
    rule: str,
    rectification_required: bool,
    rectification: str,
    rectify_by: dt.date | None,
    uploads=(),
) -> Finding:
    inspection = locked(
        inspection,
        statuses=[InspectionStatus.PLANNED, InspectionStatus.REPORTED],
        related=INSPECTION_RELATED,
        # R-C2
        refusal=_("The inspection is closed; no finding can be added any more."),
    )
    errors = {}
    if not description.strip():
        # R-C2
        errors["description"] = _("Describe what was found.")
    if severity not in FindingSeverity.values:
        errors["severity"] = _("Choose a severity.")
    if rectification_required:
        if not rectification.strip():
            # R-C2
            errors["rectification"] = _("Say what the enterprise must rectify.")
        if rectify_by is None:
            # R-C2
            errors["rectify_by"] = _("Give the rectification deadline.")
        elif rectify_by <= _today():
            # R-C2
            errors["rectify_by"] = _("The rectification deadline must be after today.")
    if errors:
        raise FieldsInvalid(errors)
    finding = Finding.objects.create(
        inspection=inspection,
        description=description,
        severity=severity,
        rule=rule.strip().upper(),
        rectification=rectification if rectification_required else "",
        rectify_by=rectify_by if rectification_required else None,
        status=FindingStatus.OPEN if rectification_required else FindingStatus.NOTED,
        created_by=actor,
    )
    names = _save_attachments(finding, actor=actor, side=AttachmentSide.EVIDENCE, uploads=uploads)
    bump(inspection)
    note = description[:200]
    if names:
        note += "\n" + _("Evidence: %(names)s") % {"names": "、".join(names)}
    # One row, on the finding: the inspection's history page merges its findings' rows.
    audit_record(
        obj=finding, actor=actor, action="finding_add", to_status=finding.status, note=note
    )
    if inspection.status == InspectionStatus.REPORTED:
        # Added after the report: the enterprise learns of it now, not at the next report.
        _notify_open_findings(inspection, [finding])
    return finding


# ---------------------------------------------------------------------------------------------
# The enterprise's answer and the bureau's decision


def is_late(finding: Finding) -> bool:
    """Answered after the deadline, or still open past it."""
    if finding.rectify_by is None:
        return False
    if finding.responded_at is not None and finding.status != FindingStatus.OPEN:
        return timezone.localdate(finding.responded_at) > finding.rectify_by
    return finding.status == FindingStatus.OPEN and _today() > finding.rectify_by


@transaction.atomic
def finding_answer(
    *, finding: Finding, actor, response: str, expected_version: int, uploads=()
) -> Finding:
    """open → answered: what the enterprise did, with its evidence. Late answers are accepted
    and marked late."""
    finding = locked(
        finding,
        statuses=[FindingStatus.OPEN],
        expected_version=expected_version,
        related=FINDING_RELATED,
        # R-C2
        refusal=_("This finding is not waiting for a rectification report."),
    )
    if finding.inspection.status == InspectionStatus.PLANNED:
        # R-C2
        raise InvalidTransition(_("The inspection is not reported yet."))
    if not response.strip():
        # R-C2
        raise FieldsInvalid({"response": _("Say what was rectified and how.")})
    late = _today() > finding.rectify_by
    finding.response = response
    finding.responded_at = timezone.now()
    finding.responded_by = actor
    names = _save_attachments(finding, actor=actor, side=AttachmentSide.RESPONSE, uploads=uploads)
    note = response[:200]
    if late:
        note = _("Answered after the deadline of %(date)s.") % {"date": _d(finding.rectify_by)}
        note += "\n" + response[:200]
    if names:
        note += "\n" + _("Evidence: %(names)s") % {"names": "、".join(names)}
    transition(
        finding,
        actor=actor,
        to=FindingStatus.ANSWERED,
        action="finding_answer_late" if late else "finding_answer",
        note=note,
        fields=["response", "responded_at", "responded_by"],
    )
    return finding


def _lock_answered(finding: Finding, expected_version: int) -> Finding:
    return locked(
        finding,
        statuses=[FindingStatus.ANSWERED],
        expected_version=expected_version,
        related=FINDING_RELATED,
        refusal=_("Only a finding whose rectification was reported can be closed or returned."),
    )


@transaction.atomic
def finding_close(*, finding: Finding, actor, note: str, expected_version: int) -> Finding:
    """answered → closed: the bureau accepts the rectification."""
    finding = _lock_answered(finding, expected_version)
    finding.bureau_note = note
    finding.closed_on = _today()
    finding.closed_by = actor
    transition(
        finding,
        actor=actor,
        to=FindingStatus.CLOSED,
        action="finding_close",
        note=note,
        fields=["bureau_note", "closed_on", "closed_by"],
    )
    return finding


@transaction.atomic
def finding_return(
    *, finding: Finding, actor, note: str, rectify_by: dt.date | None, expected_version: int
) -> Finding:
    """answered → open: the rectification is not enough; a new deadline, and the enterprise
    is told."""
    finding = _lock_answered(finding, expected_version)
    errors = {}
    if not note.strip():
        # R-C2
        errors["note"] = _("Say why the rectification is not accepted.")
    if rectify_by is None:
        # R-C2
        errors["rectify_by"] = _("Give the new rectification deadline.")
    elif rectify_by <= _today():
        # R-C2
        errors["rectify_by"] = _("The rectification deadline must be after today.")
    if errors:
        raise FieldsInvalid(errors)
    finding.bureau_note = note
    finding.rectify_by = rectify_by
    transition(
        finding,
        actor=actor,
        to=FindingStatus.OPEN,
        action="finding_return",
        note=_("New deadline %(date)s: %(note)s") % {"date": _d(rectify_by), "note": note},
        fields=["bureau_note", "rectify_by"],
    )
    url = reverse("inspection_detail", kwargs={"pk": finding.inspection_id})
    notify_all(
        _enterprise_users(finding.inspection.enterprise),
        kind="finding_returned",
        title=_("Rectification returned: rectify again by %(date)s") % {"date": _d(rectify_by)},
        body=note,
        url=url,
    )
    return finding


# ---------------------------------------------------------------------------------------------
# Closing and publishing (一公开)


def default_public_result(inspection: Inspection) -> str:
    findings = list(inspection.findings.all())
    required = [f for f in findings if f.status != FindingStatus.NOTED]
    rectified = sum(1 for f in required if f.status == FindingStatus.CLOSED)
    conclusion = inspection.get_conclusion_display() or _("No conclusion recorded")
    if not findings:
        return _("%(conclusion)s; no findings.") % {"conclusion": conclusion}
    if not required:
        return _("%(conclusion)s; %(count)s findings noted, none needed rectification.") % {
            "conclusion": conclusion,
            "count": len(findings),
        }
    return _(
        "%(conclusion)s; %(count)s findings, %(required)s to rectify, %(rectified)s of them "
        "rectified."
    ) % {
        "conclusion": conclusion,
        "count": len(findings),
        "required": len(required),
        "rectified": rectified,
    }


@transaction.atomic
def inspection_close(
    *, inspection: Inspection, actor, public_result: str, expected_version: int
) -> Inspection:
    """reported → closed with the text the public page shows (R-M1 一公开)."""
    inspection = locked(
        inspection,
        statuses=[InspectionStatus.REPORTED],
        expected_version=expected_version,
        related=INSPECTION_RELATED,
        # R-M1
        refusal=_("Only a reported inspection can be closed."),
    )
    pending = inspection.findings.filter(
        status__in=(FindingStatus.OPEN, FindingStatus.ANSWERED)
    ).count()
    if pending:
        raise InvalidTransition(
            _(
                # R-M1
                "%(count)s findings still wait for the enterprise's rectification or for the "
                "bureau's decision; close them first."
            )
            % {"count": pending}
        )
    if not public_result.strip():
        # R-M1
        raise FieldsInvalid({"public_result": _("Write the result the public page shows.")})
    inspection.public_result = public_result.strip()
    inspection.closed_on = _today()
    inspection.closed_by = actor
    transition(
        inspection,
        actor=actor,
        to=InspectionStatus.CLOSED,
        action="inspection_close",
        note=inspection.public_result,
        fields=["public_result", "closed_on", "closed_by"],
    )
    return inspection


# How the audit trail names this area's actions (registered by SupervisionConfig.ready).
AUDIT_ACTIONS = {
    "inspection_draft": gettext_lazy("inspection record saved"),
    "inspection_report": gettext_lazy("inspection reported"),
    "inspection_close": gettext_lazy("inspection closed and published"),
    "finding_add": gettext_lazy("finding recorded"),
    "finding_answer": gettext_lazy("rectification reported"),
    "finding_answer_late": gettext_lazy("rectification reported late"),
    "finding_close": gettext_lazy("rectification accepted"),
    "finding_return": gettext_lazy("rectification returned"),
}
