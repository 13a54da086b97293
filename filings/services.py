"""Writes and state transitions of enterprises and filings (R-F1 … R-F9).

Every transition locks the row, checks the current status, saves with update_fields, writes an
audit event and schedules side effects on commit.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.eligibility import ban_problems, policy_for, submission_problems
from filings.models import (
    EDITABLE_FILING_STATUSES,
    OPEN_FILING_STATUSES,
    Enterprise,
    EnterpriseStatus,
    ExpertAssignment,
    Filing,
    FilingMaterial,
    FilingScopeLine,
    FilingStatus,
)
from portal import workdays
from portal.core.audit import audit_record
from portal.core.counters import next_value
from portal.core.delegations import delegate_experts, end_delegations
from portal.core.dispatch import enqueue_on_commit
from portal.core.errors import InvalidTransition, ServiceError, StaleEdit
from portal.core.models import Membership, Role

User = get_user_model()

FILING_FACT_FIELDS = [
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


def _today() -> dt.date:
    return timezone.localdate()


def _lock(filing: Filing) -> Filing:
    return (
        Filing.objects.select_for_update().select_related("enterprise__district").get(pk=filing.pk)
    )


def _require_status(filing: Filing, allowed: list[str]) -> None:
    if filing.status not in allowed:
        raise InvalidTransition(
            _("This action is not possible while the filing is “%(status)s”.")
            % {"status": filing.get_status_display()}
        )


def _transition(filing: Filing, *, actor, to: str, action: str, note: str, fields: list[str]):
    from_status = filing.status
    filing.status = to
    filing.version += 1
    filing.save(update_fields=[*fields, "status", "version", "updated_at"])
    audit_record(
        obj=filing, actor=actor, action=action, from_status=from_status, to_status=to, note=note
    )


def _due_on(received_on: dt.date, working_days: int) -> dt.date | None:
    """R-F6: the review deadline; None while the calendar of that year is missing."""
    try:
        return workdays.add_working_days(received_on, working_days)
    except workdays.CalendarMissing:
        return None


# Enterprises ---------------------------------------------------------------------------------


@transaction.atomic
def enterprise_register(*, data: dict, username: str, password: str, email: str) -> Enterprise:
    """Self-registration: the enterprise and its first operator; the district activates it."""
    enterprise = Enterprise.objects.create(status=EnterpriseStatus.PENDING, **data)
    user = User.objects.create_user(username=username, password=password, email=email)
    Membership.objects.create(
        user=user,
        role=Role.ENTERPRISE,
        enterprise=enterprise,
        full_name=data.get("contact_name", ""),
        phone=data.get("contact_phone", ""),
    )
    audit_record(
        obj=enterprise,
        actor=user,
        action="register",
        to_status=EnterpriseStatus.PENDING,
        note=_("Registered online"),
    )
    return enterprise


@transaction.atomic
def enterprise_activate(*, enterprise: Enterprise, actor) -> Enterprise:
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if enterprise.status != EnterpriseStatus.PENDING:
        raise InvalidTransition(_("Only an enterprise awaiting activation can be activated."))
    enterprise.status = EnterpriseStatus.ACTIVE
    enterprise.activated_at = timezone.now()
    enterprise.save(update_fields=["status", "activated_at"])
    audit_record(
        obj=enterprise,
        actor=actor,
        action="activate",
        from_status=EnterpriseStatus.PENDING,
        to_status=EnterpriseStatus.ACTIVE,
    )
    return enterprise


# Filings: the enterprise's side ---------------------------------------------------------------


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
    filing = _lock(filing)
    _require_status(filing, EDITABLE_FILING_STATUSES)
    if filing.version != expected_version:
        raise StaleEdit()
    changed = [field for field in FILING_FACT_FIELDS if getattr(filing, field) != data[field]]
    for field in changed:
        setattr(filing, field, data[field])
    filing.version += 1
    filing.save(update_fields=[*changed, "version", "updated_at"])
    if changed:
        audit_record(obj=filing, actor=actor, action="edit", note=", ".join(changed))
    return filing


def _touch(filing: Filing, expected_version: int | None) -> Filing:
    """Lock an editable filing and bump its version for a change to its lines or materials."""
    filing = _lock(filing)
    _require_status(filing, EDITABLE_FILING_STATUSES)
    if expected_version is not None and filing.version != expected_version:
        raise StaleEdit()
    filing.version += 1
    filing.save(update_fields=["version", "updated_at"])
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
    material = FilingMaterial(
        filing=filing,
        kind=kind,
        original_name=upload.name[:200],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    # The stored name takes the extension of the checked content, never the one the user typed.
    material.file.save(f"material.{checked.extension}", upload, save=False)
    material.save()
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
def filing_submit(*, filing: Filing, actor, expected_version: int | None = None) -> Filing:
    """R-F5: a district enterprise files to its district, a city-administered one to the city."""
    filing = _lock(filing)
    _require_status(filing, EDITABLE_FILING_STATUSES)
    if expected_version is not None and filing.version != expected_version:
        raise StaleEdit()
    today = _today()
    problems = submission_problems(filing, today)
    if problems:
        raise ServiceError(_("The filing cannot be submitted yet."), problems)
    policy = policy_for(filing.enterprise)
    filing.submitted_at = timezone.now()
    filing.correction_deadline = None
    fields = ["submitted_at", "correction_deadline"]
    if policy.district_prereview and not filing.enterprise.city_administered:
        to = FilingStatus.DISTRICT_REVIEW
    else:
        to = FilingStatus.CITY_REVIEW
        fields += _receive(filing, today, policy)
    _transition(filing, actor=actor, to=to, action="submit", note="", fields=fields)
    return filing


def _receive(filing: Filing, today: dt.date, policy) -> list[str]:
    """R-F6: the city's 20-working-day clock starts on the day it receives the filing."""
    filing.received_on = today
    filing.due_on = _due_on(today, policy.review_working_days)
    filing.skip_onsite = filing.enterprise.on_pilot_list
    return ["received_on", "due_on", "skip_onsite"]


# Filings: the bureaus' side -------------------------------------------------------------------


@transaction.atomic
def filing_district_forward(*, filing: Filing, actor, opinion: str) -> Filing:
    filing = _lock(filing)
    _require_status(filing, [FilingStatus.DISTRICT_REVIEW])
    if not opinion.strip():
        raise ServiceError(_("The pre-review opinion is required."))
    filing.district_opinion = opinion
    fields = ["district_opinion", *_receive(filing, _today(), policy_for(filing.enterprise))]
    _transition(
        filing,
        actor=actor,
        to=FilingStatus.CITY_REVIEW,
        action="district_forward",
        note=opinion,
        fields=fields,
    )
    return filing


@transaction.atomic
def filing_assign_experts(*, filing: Filing, actor, experts: list) -> Filing:
    filing = _lock(filing)
    _require_status(filing, [FilingStatus.CITY_REVIEW, FilingStatus.EXPERT_REVIEW])
    if not experts:
        raise ServiceError(_("Choose at least one expert."))
    names = delegate_experts(
        obj=filing,
        experts=experts,
        actor=actor,
        assignments=filing.expert_assignments,
        perm="filings.evaluate_filing",
    )
    note = _("Experts assigned: %(names)s") % {"names": "、".join(names)}
    if filing.status == FilingStatus.CITY_REVIEW:
        _transition(
            filing,
            actor=actor,
            to=FilingStatus.EXPERT_REVIEW,
            action="assign_experts",
            note=note,
            fields=[],
        )
    elif names:
        filing.version += 1
        filing.save(update_fields=["version", "updated_at"])
        audit_record(obj=filing, actor=actor, action="assign_experts", note=note)
    return filing


@transaction.atomic
def filing_expert_opinion(
    *,
    assignment: ExpertAssignment,
    actor,
    visited_on,
    score: int,
    recommendation: str,
    opinion: str,
) -> ExpertAssignment:
    filing = _lock(assignment.filing)
    _require_status(filing, [FilingStatus.EXPERT_REVIEW])
    assignment = ExpertAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.expert_id != actor.pk:
        raise ServiceError(_("Only the assigned expert can give this opinion."))
    assignment.visited_on = visited_on
    assignment.score = score
    assignment.recommendation = recommendation
    assignment.opinion = opinion
    assignment.submitted_at = timezone.now()
    assignment.save(
        update_fields=["visited_on", "score", "recommendation", "opinion", "submitted_at"]
    )
    filing.version += 1
    filing.save(update_fields=["version", "updated_at"])
    audit_record(
        obj=filing,
        actor=actor,
        action="expert_opinion",
        note=f"{score} {assignment.get_recommendation_display()}: {opinion}",
    )
    return assignment


def _require_decidable(filing: Filing) -> None:
    """R-F6: the decision follows the expert on-site evaluation unless the enterprise skips it."""
    if filing.status == FilingStatus.CITY_REVIEW and filing.skip_onsite:
        return
    if filing.status == FilingStatus.EXPERT_REVIEW:
        if filing.expert_assignments.filter(submitted_at__isnull=True).exists():
            raise ServiceError(_("Wait until every assigned expert has given an opinion."))
        return
    raise InvalidTransition(
        _("The filing can be decided only after the expert on-site evaluation.")
    )


@transaction.atomic
def filing_approve(*, filing: Filing, actor, note: str = "") -> Filing:
    """R-F7: approval numbers the filing, opens the directory entry for 3 years, makes a receipt."""
    filing = _lock(filing)
    _require_decidable(filing)
    today = _today()
    # R-M2, R-M3: a sanction decided while the application was under review bars its approval.
    banned = ban_problems(filing.enterprise, today)
    if banned:
        raise ServiceError(_("The filing cannot be approved."), problems=banned)
    policy = policy_for(filing.enterprise)
    city = filing.enterprise.district.parent
    serial = next_value(f"filing-number:{city.code}:{today.year}")
    filing.number = f"{city.code}{today.year}{serial:04d}"
    filing.approved_on = today
    filing.valid_until = today + relativedelta(years=policy.filing_validity_years, days=-1)
    filing.decision_note = note
    _transition(
        filing,
        actor=actor,
        to=FilingStatus.APPROVED,
        action="approve",
        note=note,
        fields=["number", "approved_on", "valid_until", "decision_note"],
    )
    from filings.tasks import render_filing_receipt

    enqueue_on_commit(render_filing_receipt, filing.pk)
    return filing


@transaction.atomic
def filing_return(*, filing: Filing, actor, reason: str) -> Filing:
    """R-F7: returned for correction, with a deadline in working days."""
    filing = _lock(filing)
    _require_status(
        filing,
        [FilingStatus.DISTRICT_REVIEW, FilingStatus.CITY_REVIEW, FilingStatus.EXPERT_REVIEW],
    )
    if not reason.strip():
        raise ServiceError(_("Say what must be corrected."))
    policy = policy_for(filing.enterprise)
    filing.returned_on = _today()
    filing.correction_deadline = _due_on(filing.returned_on, policy.correction_working_days)
    filing.decision_note = reason
    filing.received_on = None
    filing.due_on = None
    # The experts judged the version being returned; the corrected one is evaluated afresh.
    end_delegations(
        obj=filing, assignments=filing.expert_assignments, perm="filings.evaluate_filing"
    )
    _transition(
        filing,
        actor=actor,
        to=FilingStatus.RETURNED,
        action="return",
        note=reason,
        fields=["returned_on", "correction_deadline", "decision_note", "received_on", "due_on"],
    )
    return filing


def filing_deadlines_recount() -> int:
    """Count stored deadlines again after the working-day calendar changed (R-F6, R-F7)."""
    changed = 0
    open_filings = Filing.objects.filter(
        Q(
            status__in=[FilingStatus.CITY_REVIEW, FilingStatus.EXPERT_REVIEW],
            received_on__isnull=False,
        )
        | Q(status=FilingStatus.RETURNED, returned_on__isnull=False)
    ).select_related("enterprise__district")
    with transaction.atomic():
        for filing in open_filings.select_for_update(of=("self",)):
            policy = policy_for(filing.enterprise)
            if filing.status == FilingStatus.RETURNED:
                field = "correction_deadline"
                value = _due_on(filing.returned_on, policy.correction_working_days)
            else:
                field = "due_on"
                value = _due_on(filing.received_on, policy.review_working_days)
            if getattr(filing, field) != value:
                setattr(filing, field, value)
                filing.save(update_fields=[field])
                changed += 1
    return changed


@transaction.atomic
def filing_reject(*, filing: Filing, actor, reason: str) -> Filing:
    filing = _lock(filing)
    _require_decidable(filing)
    if not reason.strip():
        raise ServiceError(_("Give the reason for the rejection."))
    filing.decision_note = reason
    _transition(
        filing,
        actor=actor,
        to=FilingStatus.REJECTED,
        action="reject",
        note=reason,
        fields=["decision_note"],
    )
    return filing


def filing_store_receipt(*, filing_id: int, pdf: bytes) -> None:
    """Called by the receipt task; idempotent: a second run replaces nothing already stored."""
    from django.core.files.base import ContentFile

    with transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing_id)
        if filing.receipt_pdf:
            return
        filing.receipt_pdf.save(f"{filing.number}.pdf", ContentFile(pdf), save=False)
        filing.save(update_fields=["receipt_pdf"])
