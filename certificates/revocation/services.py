"""Revocation (R-K5), correction and reissue of a valid certificate."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import RosterEntry
from certificates.models import (
    Certificate,
    CertificateStatus,
    NumberingPrefix,
    ReplacementKind,
)
from certificates.numbering.services import new_numbers
from certificates.printing.services import drop_holder_pdf
from certificates.verification import lookup as verification
from portal.core.audit import audit_record
from portal.core.errors import ServiceError
from portal.core.workflow import locked, require_status, transition


def _lock_valid(certificate: Certificate, expected_version: int | None) -> Certificate:
    """The certificate locked, when it is still the version the user saw and still valid."""
    fresh = locked(certificate, expected_version=expected_version)
    require_status(
        fresh,
        [CertificateStatus.VALID],
        refusal=_("Certificate %(number)s is “%(status)s”; only a valid certificate can change.")
        % {"number": fresh.number, "status": fresh.get_status_display()},
    )
    return fresh


def _forget_answer(number: str) -> None:
    """Drop the cached verification answer now and again after the commit, so a lookup racing
    the change cannot keep the old answer for long (a rollback only costs a cache entry)."""
    verification.forget(number)
    transaction.on_commit(lambda: verification.forget(number))


def certificate_revoke(
    *, certificate: Certificate, actor, reason: str, expected_version: int | None = None
) -> Certificate:
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Reason: say why the certificate is revoked; it is shown publicly."))
    with transaction.atomic():
        revoked = _lock_valid(certificate, expected_version)
        revoked.revoked_on = timezone.localdate()
        revoked.revoked_reason = reason
        revoked.revoked_by = actor
        transition(
            revoked,
            actor=actor,
            to=CertificateStatus.REVOKED,
            action="certificate_revoked",
            note=reason,
            fields=["revoked_on", "revoked_reason", "revoked_by"],
        )
        drop_holder_pdf(revoked)
        _forget_answer(revoked.number)
    return revoked


CORRECTABLE_FIELDS = ("holder_name", "id_type", "id_number", "work_type_name")


def certificate_replace(
    *,
    certificate: Certificate,
    actor,
    kind: str,
    reason: str,
    corrections: dict | None = None,
    expected_version: int | None = None,
) -> Certificate:
    """补办 (reissue: same facts, new number) or 更正 (correction: corrected facts, new number).

    The old certificate is kept, marked replaced, and points at the new one; verifying the old
    number says it was replaced and by which number.
    """
    if kind not in ReplacementKind.values:
        raise ServiceError(_("Choose reissue or correction."))
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("Reason: say why the certificate is reissued or corrected."))
    corrections = {k: v for k, v in (corrections or {}).items() if k in CORRECTABLE_FIELDS}
    with transaction.atomic():
        old = _lock_valid(certificate, expected_version)
        if kind == ReplacementKind.CORRECTION:
            changed = {k: v for k, v in corrections.items() if v != getattr(old, k)}
            if not changed:
                raise ServiceError(
                    _("Correction: change at least one printed field, or choose reissue.")
                )
        else:
            changed = {}
        prefix = NumberingPrefix.objects.filter(enterprise_id=old.enterprise_id).first()
        if prefix is None:
            raise ServiceError(
                # R-K2
                _("The city bureau has not set this enterprise's certificate number prefix.")
            )
        today = timezone.localdate()
        (number,) = new_numbers(prefix, old.enterprise_id, today, [old.level])
        note = reason
        if changed:
            note += " (" + ", ".join(sorted(changed)) + ")"
        transition(
            old,
            actor=actor,
            to=CertificateStatus.REPLACED,
            action=f"certificate_{kind}",
            note=f"→ {number}: {note}",
        )
        drop_holder_pdf(old)
        _forget_answer(old.number)
        new = Certificate.objects.create(
            number=number,
            enterprise_id=old.enterprise_id,
            batch=old.batch,
            entry=old.entry,
            position=old.position,
            holder_name=changed.get("holder_name", old.holder_name),
            id_type=changed.get("id_type", old.id_type),
            id_number=changed.get("id_number", old.id_number),
            photo=old.photo,
            occupation_code=old.occupation_code,
            occupation_name=old.occupation_name,
            work_type_name=changed.get("work_type_name", old.work_type_name),
            level=old.level,
            enterprise_level=old.enterprise_level,
            issuer_name=old.issuer_name,
            issued_on=today,
            replaces=old,
            replacement_kind=kind,
            replacement_reason=reason,
        )
        RosterEntry.objects.filter(pk=old.entry_id).update(
            certificate_number=number, issued_on=today
        )
        audit_record(obj=new, actor=actor, action="certificate_issued", note=f"← {old.number}")
    return new
