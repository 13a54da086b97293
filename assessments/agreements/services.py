"""The writes of an entrusted evaluation agreement (seed 004 §一(二)), one service per step:

draft (evaluating enterprise) → awaiting the client's confirmation → awaiting the bureaus'
approval (each party's bureau: the one that decides its filings, or the provincial centre where
the policy says so; one approval where both are the same) → approved; the client or either
bureau may return it with a reason; the evaluating enterprise may withdraw it. Every step locks
the row, checks its status and version and writes an audit event.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    EDITABLE_AGREEMENT_STATUSES,
    AgreementDocument,
    AgreementStatus,
    EntrustedAgreement,
)
from assessments.models.agreements import WITHDRAWABLE_AGREEMENT_STATUSES
from assessments.schemes.selectors import approved_schemes_for
from filings.eligibility import policy_for
from filings.levels import level_range_display
from filings.models import Enterprise, EnterpriseStatus
from portal.core.audit import audit_record, register_labels, register_status_labels
from portal.core.errors import FieldsInvalid, ServiceError
from portal.core.models import Bureau
from portal.core.workflow import apply_changes, bump, locked, transition

AGREEMENT_FIELDS = ["client", "levels", "valid_from", "valid_until", "note"]


def _today() -> dt.date:
    return timezone.localdate()


def agreement_bureau_for(enterprise: Enterprise) -> Bureau:
    """Seed 004 §一(二): the agreement is filed with the centre the party files with (its city's,
    or the provincial one for a province-administered enterprise), or with the provincial centre
    for everyone where the policy says so."""
    if policy_for(enterprise).entrusted_agreement_approved_by_province:
        return enterprise.district.top
    return enterprise.routed_bureau


def agreement_problems(*, evaluator: Enterprise, data: dict, schemes, today: dt.date) -> dict:
    """What is wrong with the agreement's terms, by form field."""
    problems: dict[str, str] = {}
    client = data.get("client")
    if evaluator.is_social_org:
        # R-M7: a social training evaluation organisation evaluates members of the public; its
        # rosters admit no entrusted examinees, so such an agreement could never be used.
        problems["client"] = _(
            "A social training evaluation organisation evaluates members of the public and does "
            "not take entrusted evaluation; only an enterprise can evaluate another enterprise's "
            "staff under an agreement."
        )
    elif client is not None:
        if client.pk == evaluator.pk:
            problems["client"] = _("The client must be another enterprise than your own.")
        elif client.status != EnterpriseStatus.ACTIVE:
            problems["client"] = _(
                "“%(name)s” is not yet an active enterprise of the portal; it can confirm the "
                "agreement once its registration is activated."
            ) % {"name": client.name}
    allowed = {scheme.pk for scheme in approved_schemes_for(enterprise=evaluator, today=today)}
    schemes = list(schemes)
    if not schemes:
        problems["schemes"] = _("Choose at least one of your approved evaluation schemes.")
    elif any(scheme.pk not in allowed for scheme in schemes):
        problems["schemes"] = _(
            "Only your approved evaluation schemes inside a valid filing can be used."
        )
    else:
        offered = {int(level) for scheme in schemes for level in scheme.levels}
        missing = sorted({int(level) for level in data.get("levels") or []} - offered)
        if missing:
            problems["levels"] = _(
                "Level %(levels)s is not offered by the chosen evaluation schemes."
            ) % {"levels": level_range_display(missing)}
    start, end = data.get("valid_from"), data.get("valid_until")
    if start and end and end < start:
        problems["valid_until"] = _("The end of the period must not be before its start.")
    elif end and end < today:
        problems["valid_until"] = _("The period has already ended (%(date)s).") % {
            "date": end.isoformat()
        }
    return problems


def _check(evaluator: Enterprise, data: dict, schemes, today: dt.date) -> None:
    problems = agreement_problems(evaluator=evaluator, data=data, schemes=schemes, today=today)
    if problems:
        raise FieldsInvalid(problems)


@transaction.atomic
def agreement_create(*, evaluator: Enterprise, actor, data: dict, schemes) -> EntrustedAgreement:
    schemes = list(schemes)
    _check(evaluator, data, schemes, _today())
    agreement = EntrustedAgreement.objects.create(
        evaluator=evaluator, **{field: data[field] for field in AGREEMENT_FIELDS}
    )
    agreement.schemes.set(schemes)
    audit_record(obj=agreement, actor=actor, action="create", to_status=AgreementStatus.DRAFT)
    return agreement


@transaction.atomic
def agreement_update(
    *, agreement: EntrustedAgreement, actor, data: dict, schemes, expected_version: int
) -> EntrustedAgreement:
    agreement = locked(
        agreement, statuses=EDITABLE_AGREEMENT_STATUSES, expected_version=expected_version
    )
    schemes = list(schemes)
    _check(agreement.evaluator, data, schemes, _today())
    changed = apply_changes(agreement, data, AGREEMENT_FIELDS)
    if {s.pk for s in schemes} != set(agreement.schemes.values_list("pk", flat=True)):
        agreement.schemes.set(schemes)
        changed.append("schemes")
    bump(agreement, [field for field in changed if field != "schemes"])
    if changed:
        audit_record(obj=agreement, actor=actor, action="edit", note=", ".join(changed))
    return agreement


@transaction.atomic
def agreement_document_add(
    *, agreement: EntrustedAgreement, actor, upload, checked
) -> AgreementDocument:
    """Stores an upload already checked by filings.uploads.check_upload (`checked`)."""
    agreement = locked(agreement, statuses=EDITABLE_AGREEMENT_STATUSES)
    bump(agreement)
    document = AgreementDocument(agreement=agreement, uploaded_by=actor)
    document.store(upload, checked, stem="agreement")
    audit_record(obj=agreement, actor=actor, action="document_add", note=document.original_name)
    return document


@transaction.atomic
def agreement_submit(
    *, agreement: EntrustedAgreement, actor, expected_version: int | None = None
) -> EntrustedAgreement:
    """The evaluating enterprise sends the agreement to its client for confirmation."""
    agreement = locked(
        agreement, statuses=EDITABLE_AGREEMENT_STATUSES, expected_version=expected_version
    )
    today = _today()
    data = {field: getattr(agreement, field) for field in AGREEMENT_FIELDS}
    problems = agreement_problems(
        evaluator=agreement.evaluator, data=data, schemes=agreement.schemes.all(), today=today
    )
    if not agreement.documents.exists():
        problems["documents"] = _("Upload the signed agreement before submitting it.")
    if problems:
        raise ServiceError(_("The agreement cannot be submitted yet."), list(problems.values()))
    agreement.submitted_at = timezone.now()
    agreement.decision_note = ""
    transition(
        agreement,
        actor=actor,
        to=AgreementStatus.AWAITING_CLIENT,
        action="submit",
        fields=["submitted_at", "decision_note"],
    )
    return agreement


@transaction.atomic
def agreement_confirm(
    *, agreement: EntrustedAgreement, actor, expected_version: int | None = None
) -> EntrustedAgreement:
    """The client confirms; the agreement goes to both parties' bureaus (seed 004 §一(二))."""
    agreement = locked(
        agreement,
        statuses=[AgreementStatus.AWAITING_CLIENT],
        expected_version=expected_version,
        related=["evaluator__district", "client__district"],
    )
    agreement.evaluator_bureau = agreement_bureau_for(agreement.evaluator)
    agreement.client_bureau = agreement_bureau_for(agreement.client)
    agreement.evaluator_bureau_approved_on = None
    agreement.client_bureau_approved_on = None
    agreement.confirmed_at = timezone.now()
    agreement.confirmed_by = actor
    transition(
        agreement,
        actor=actor,
        to=AgreementStatus.AWAITING_BUREAUS,
        action="confirm",
        fields=[
            "evaluator_bureau",
            "client_bureau",
            "evaluator_bureau_approved_on",
            "client_bureau_approved_on",
            "confirmed_at",
            "confirmed_by",
        ],
    )
    return agreement


@transaction.atomic
def agreement_approve(
    *, agreement: EntrustedAgreement, actor, bureau: Bureau, expected_version: int | None = None
) -> EntrustedAgreement:
    """One bureau's approval; the agreement is approved once every bureau it waits for has."""
    agreement = locked(
        agreement, statuses=[AgreementStatus.AWAITING_BUREAUS], expected_version=expected_version
    )
    if bureau.pk not in agreement.pending_bureau_ids():
        raise ServiceError(_("This agreement does not wait for your bureau's approval."))
    today = _today()
    fields = []
    if agreement.evaluator_bureau_id == bureau.pk:
        agreement.evaluator_bureau_approved_on = today
        fields.append("evaluator_bureau_approved_on")
    if agreement.client_bureau_id == bureau.pk:
        agreement.client_bureau_approved_on = today
        fields.append("client_bureau_approved_on")
    if agreement.pending_bureau_ids():
        bump(agreement, fields)
        audit_record(obj=agreement, actor=actor, action="approve_part", note=bureau.name)
        return agreement
    agreement.approved_on = today
    transition(
        agreement,
        actor=actor,
        to=AgreementStatus.APPROVED,
        action="approve",
        note=bureau.name,
        fields=[*fields, "approved_on"],
    )
    return agreement


@transaction.atomic
def agreement_return(
    *,
    agreement: EntrustedAgreement,
    actor,
    reason: str,
    bureau: Bureau | None = None,
    expected_version: int | None = None,
) -> EntrustedAgreement:
    """The client (before confirming) or a bureau it waits for sends it back with a reason."""
    statuses = [AgreementStatus.AWAITING_BUREAUS if bureau else AgreementStatus.AWAITING_CLIENT]
    agreement = locked(agreement, statuses=statuses, expected_version=expected_version)
    if bureau is not None and bureau.pk not in agreement.pending_bureau_ids():
        raise ServiceError(_("This agreement does not wait for your bureau's approval."))
    if not reason.strip():
        raise FieldsInvalid({"reason": _("Give the reason for returning the agreement.")})
    agreement.decision_note = reason.strip()
    agreement.evaluator_bureau_approved_on = None
    agreement.client_bureau_approved_on = None
    transition(
        agreement,
        actor=actor,
        to=AgreementStatus.RETURNED,
        action="return",
        note=agreement.decision_note,
        fields=["decision_note", "evaluator_bureau_approved_on", "client_bureau_approved_on"],
    )
    return agreement


@transaction.atomic
def agreement_withdraw(
    *, agreement: EntrustedAgreement, actor, expected_version: int | None = None
) -> EntrustedAgreement:
    """The evaluating enterprise ends the agreement; no roster may name it afterwards."""
    agreement = locked(
        agreement, statuses=WITHDRAWABLE_AGREEMENT_STATUSES, expected_version=expected_version
    )
    transition(agreement, actor=actor, to=AgreementStatus.WITHDRAWN, action="withdraw")
    return agreement


def register_agreement_labels() -> None:
    """The agreement's history reads as words (called from AssessmentsConfig.ready)."""
    register_labels(
        actions={
            "confirm": gettext_lazy("confirmed by the client"),
            "approve_part": gettext_lazy("approved by one bureau"),
            "withdraw": gettext_lazy("withdrawn"),
            "document_add": gettext_lazy("document uploaded"),
        }
    )
    register_status_labels({EntrustedAgreement: AgreementStatus})
