"""The enterprise's side of a filing: the draft, its scope lines and materials, the submission
(R-F1 … R-F5, R-F8). Every change locks the filing, checks its status, saves with update_fields
and writes an audit event.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.clock import review_policy, start_review
from filings.eligibility import (
    APPLICATION_FORM_FIELDS,
    MOBILE_PATTERN,
    ban_problems,
    pledge_problem,
    policy_for,
    submission_problems,
)
from filings.models import (
    EDITABLE_FILING_STATUSES,
    OPEN_FILING_STATUSES,
    AdministrationLevel,
    Enterprise,
    Filing,
    FilingMaterial,
    FilingScopeLine,
    FilingStatus,
)
from portal.core.audit import audit_record
from portal.core.errors import ServiceError
from portal.core.workflow import apply_changes, bump, locked, transition

FILING_FACT_FIELDS = [
    *APPLICATION_FORM_FIELDS,
    "independent_legal_person",
    "business_scope",
    "good_credit",
    "insured_employees",
    "enterprise_size",
    "has_pay_linkage",
    "has_dedicated_staff",
    "situation",
    "site_and_equipment",
    "staff_and_examiners",
]
# R-M7: what a social training evaluation organisation declares instead (seed 003 §二(一)).
ORG_FACT_FIELDS = [
    *APPLICATION_FORM_FIELDS,
    "business_scope",
    "good_credit",
    "has_dedicated_staff",
    "evaluating_since",
    "training_total",
    "evaluation_total",
    "situation",
    "site_and_equipment",
    "staff_and_examiners",
]


def fact_fields(enterprise: Enterprise) -> list[str]:
    """The facts the filing form of `enterprise` asks for, after its kind."""
    return ORG_FACT_FIELDS if enterprise.is_social_org else FILING_FACT_FIELDS


def _today() -> dt.date:
    return timezone.localdate()


def _lock_editable(filing: Filing, expected_version: int | None) -> Filing:
    return locked(
        filing,
        statuses=EDITABLE_FILING_STATUSES,
        expected_version=expected_version,
        related=["enterprise__district"],
    )


def application_form_initial(enterprise: Enterprise) -> dict:
    """Seed 004 附件1's basic information for a new application: as the enterprise's last one
    gave it, or else what its registration says (the legal representative in charge, the
    contact filling in)."""
    last = enterprise.filings.order_by("-pk").first()
    if last is not None:
        return {name: getattr(last, name) for name in APPLICATION_FORM_FIELDS}
    phone = enterprise.contact_phone.replace("-", "").replace(" ", "")
    initial = {
        "principal_name": enterprise.legal_representative,
        "filled_in_by": enterprise.contact_name,
        "filler_phone": enterprise.contact_phone,
    }
    if MOBILE_PATTERN.match(phone):
        initial["contact_mobile"] = phone
    return initial


@transaction.atomic
def filing_create(*, enterprise: Enterprise, actor, data: dict) -> Filing:
    problems = ban_problems(enterprise, _today())
    if problems:
        raise ServiceError(problems[0].message, problems)
    if enterprise.filings.filter(status__in=OPEN_FILING_STATUSES).exists():
        raise ServiceError(
            _("The enterprise already has an open filing; finish or withdraw it first.")
        )
    filing = Filing.objects.create(enterprise=enterprise, **data)
    audit_record(obj=filing, actor=actor, action="create", to_status=FilingStatus.DRAFT)
    return filing


@transaction.atomic
def filing_update(*, filing: Filing, actor, data: dict, expected_version: int) -> Filing:
    filing = _lock_editable(filing, expected_version)
    fields = [field for field in fact_fields(filing.enterprise) if field in data]
    changed = apply_changes(filing, data, fields)
    bump(filing, changed)
    if changed:
        audit_record(obj=filing, actor=actor, action="edit", note=changes_note(filing, changed))
    return filing


def changes_note(filing: Filing, changed: list[str]) -> str:
    """The history's note of an edit: each changed field by its label; the application form's
    short facts (seed 004 附件1) with their new value."""
    lines = []
    for name in changed:
        label = str(Filing._meta.get_field(name).verbose_name)
        if name in APPLICATION_FORM_FIELDS:
            lines.append(f"{label}：{getattr(filing, name) or '—'}")
        else:
            lines.append(label)
    return "\n".join(lines)


def _touch(filing: Filing, expected_version: int | None) -> Filing:
    """Lock an editable filing and bump its version for a change to its lines or materials."""
    filing = _lock_editable(filing, expected_version)
    bump(filing)
    return filing


@transaction.atomic
def filing_line_save(
    *, filing: Filing, actor, line: FilingScopeLine, expected_version: int | None
) -> FilingScopeLine:
    filing = _touch(filing, expected_version)
    duplicate = filing.scope_lines.filter(
        occupation=line.occupation, work_type=line.work_type
    ).exclude(pk=line.pk)
    if duplicate.exists():
        raise ServiceError(_("This occupation and work type is already in the scope."))
    line.filing = filing
    line.save()
    audit_record(obj=filing, actor=actor, action="scope_line", note=str(line))
    return line


@transaction.atomic
def filing_line_delete(*, filing: Filing, actor, line: FilingScopeLine) -> None:
    filing = _touch(filing, None)
    note = str(line)
    line.delete()
    audit_record(obj=filing, actor=actor, action="scope_line_delete", note=note)


@transaction.atomic
def filing_material_add(*, filing: Filing, actor, kind: str, upload, checked) -> FilingMaterial:
    """Store an upload already checked by filings.uploads.check_upload (`checked`)."""
    filing = _touch(filing, None)
    material = FilingMaterial(filing=filing, kind=kind, uploaded_by=actor)
    material.store(upload, checked, stem="material")
    audit_record(obj=filing, actor=actor, action="material_add", note=material.original_name)
    return material


@transaction.atomic
def filing_material_delete(*, filing: Filing, actor, material: FilingMaterial) -> None:
    filing = _touch(filing, None)
    note = material.original_name
    stored = material.file.name
    material.delete()
    transaction.on_commit(lambda: FilingMaterial.file.field.storage.delete(stored))
    audit_record(obj=filing, actor=actor, action="material_delete", note=note)


@transaction.atomic
def filing_submit(
    *, filing: Filing, actor, expected_version: int | None = None, pledged: bool = True
) -> Filing:
    """R-F5: the filing goes to the bureau that reviews it (the city of a district enterprise,
    which its district pre-reviews first where the policy says so; the city directly for a
    city-administered one, seed 002 §六(一); the provincial centre for a province-administered
    one, seed 004 §二(一))."""
    filing = _lock_editable(filing, expected_version)
    today = _today()
    problems = submission_problems(filing, today)
    if not pledged:
        problems.append(pledge_problem(filing.enterprise))
    if problems:
        raise ServiceError(_("The filing cannot be submitted yet."), problems)
    enterprise = filing.enterprise
    filing.reviewing_bureau = enterprise.routed_bureau
    filing.submitted_at = timezone.now()
    filing.correction_deadline = None
    # Seed 004 附件1, 申请单位承诺: the legal representative answers for the application.
    filing.pledge_signatory = enterprise.legal_representative
    filing.pledged_by = actor
    filing.pledged_at = filing.submitted_at
    fields = [
        "reviewing_bureau",
        "submitted_at",
        "correction_deadline",
        "pledge_signatory",
        "pledged_by",
        "pledged_at",
    ]
    through_district = enterprise.administration_level == AdministrationLevel.DISTRICT
    if through_district and policy_for(enterprise).district_prereview:
        to = FilingStatus.DISTRICT_REVIEW
    else:
        to = FilingStatus.CITY_REVIEW
        fields += start_review(filing, today, review_policy(filing))
    transition(filing, actor=actor, to=to, action="submit", fields=fields)
    return filing
