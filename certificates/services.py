"""Certificates (R-K1 … R-K5): prefixes, issuance, revocation, correction / reissue, reports.

Issuance takes the approved result batch, gives each passed examinee (roster order) the next
numbers of their (enterprise, year, level) inside one transaction, and leaves the printing of the
batch PDF to the worker (certificates.tasks). The numbers are gap-free because the serials are
reserved by the same transaction that inserts the certificates (portal.core.counters).
"""

import datetime as dt
from dataclasses import dataclass
from io import BytesIO
from itertools import groupby

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from assessments.models import BatchStatus, ExamineeResult, ResultBatch, RosterEntry
from certificates import numbering, verification
from certificates.models import (
    BatchPart,
    Certificate,
    CertificateReport,
    CertificateStatus,
    IssueBatch,
    IssueStatus,
    NumberingPrefix,
    ReplacementKind,
)
from filings.models import Enterprise
from portal.core.audit import audit_record, register_labels
from portal.core.crypto import open_bytes, seal_bytes
from portal.core.dispatch import enqueue_on_commit
from portal.core.errors import InvalidTransition, ServiceError, StaleEdit
from portal.core.models import BackgroundJob, JobStatus

# The model's words are shared with examiners ("Revoked" is 已取消 there); a certificate's
# status reads in its own words.
STATUS_LABELS = {
    CertificateStatus.VALID: pgettext_lazy("certificate status", "Valid"),
    CertificateStatus.REVOKED: pgettext_lazy("certificate status", "Revoked"),
    CertificateStatus.REPLACED: pgettext_lazy("certificate status", "Replaced"),
}
KIND_LABELS = {
    ReplacementKind.REISSUE: pgettext_lazy("certificate replacement", "Reissue (补办)"),
    ReplacementKind.CORRECTION: pgettext_lazy("certificate replacement", "Correction (更正)"),
}


def register_certificate_labels() -> None:
    """How the audit trail names certificate actions and statuses (called by apps.ready)."""
    register_labels(
        actions={
            "certificates_issued": gettext_lazy("certificates issued"),
            "certificate_issued": gettext_lazy("certificate issued"),
            "certificate_revoked": gettext_lazy("certificate revoked"),
            "certificate_reissue": gettext_lazy("certificate reissued (补办)"),
            "certificate_correction": gettext_lazy("certificate corrected (更正)"),
            "certificate_prefix_set": gettext_lazy("certificate number prefix set"),
            "certificates_reported": gettext_lazy("certificate data exported for reporting"),
        },
        statuses=STATUS_LABELS,
        model=Certificate,
    )


# Pages per part of a batch PDF: parts are rendered in parallel by the worker's processes and
# are the unit of resumption. 250 pages is about 4 s of one core.
PART_SIZE = 250
JOB_KIND = "certificate_batch"


def _d(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


# Numbering prefixes -------------------------------------------------------------------------


def prefix_set(
    *,
    enterprise: Enterprise,
    actor,
    category: str,
    institution_code: str,
    province_code: str,
    site_serial: str,
    expected_version: int | None = None,
) -> NumberingPrefix:
    """R-K2: the city sets (or changes) an enterprise's prefix; issued numbers never change."""
    with transaction.atomic():
        prefix = NumberingPrefix.objects.select_for_update().filter(enterprise=enterprise).first()
        if prefix is None:
            prefix = NumberingPrefix(enterprise=enterprise)
        elif expected_version is not None and prefix.version != expected_version:
            raise StaleEdit()
        else:
            prefix.version += 1
        before = prefix.prefix if prefix.pk else ""
        prefix.category = category
        prefix.institution_code = institution_code
        prefix.province_code = province_code
        prefix.site_serial = site_serial
        prefix.updated_by = actor
        prefix.save()
        audit_record(
            obj=enterprise,
            actor=actor,
            action="certificate_prefix_set",
            note=f"{before} → {prefix.prefix}" if before else prefix.prefix,
        )
        return prefix


# Issuance -----------------------------------------------------------------------------------


def issuable_entries(result_batch: ResultBatch):
    """The passed examinees without a certificate, in roster order."""
    return (
        RosterEntry.objects.filter(plan_id=result_batch.plan_id, result=ExamineeResult.PASSED)
        .exclude(certificates__isnull=False)
        .order_by("seq", "pk")
    )


def issue_problems(result_batch: ResultBatch, issued_on: dt.date, today: dt.date) -> list[str]:
    def _ended_by_sanction(enterprise: Enterprise) -> bool:
        # R-M2/R-M3: after a sanction only a filing approved later (once the ban ran out)
        # lets the enterprise issue again, whatever issue date it types.
        last = enterprise.sanctions.order_by("-decided_on").first()
        return (
            last is not None
            and not enterprise.filings.filter(
                status="approved", approved_on__gt=last.decided_on
            ).exists()
        )

    problems = []
    enterprise = result_batch.plan.enterprise
    if result_batch.status != BatchStatus.APPROVED:
        problems.append(
            _("R-K1: certificates are issued only after the city approved the result filing.")
        )
    if hasattr(result_batch, "issue_batch"):
        problems.append(_("R-K1: the certificates of these results have already been issued."))
    if not NumberingPrefix.objects.filter(enterprise=enterprise).exists():
        problems.append(
            _(
                "R-K2: the city bureau has not yet set this enterprise's certificate number "
                "prefix (institution code, province code, site serial)."
            )
        )
    if _ended_by_sanction(enterprise):
        problems.append(
            _(
                "R-M2/R-M3: the enterprise's filing was cancelled or removed from the directory; "
                "it may not issue certificates until it is filed again."
            )
        )
    if issued_on > today:
        problems.append(_("Issue date: it cannot be in the future (R-K3)."))
    if result_batch.approved_on and issued_on < result_batch.approved_on:
        problems.append(
            _("Issue date: it cannot be before the result filing was approved on %(day)s (R-K1).")
            % {"day": _d(result_batch.approved_on)}
        )
    if not problems and not issuable_entries(result_batch).exists():
        problems.append(_("R-K1: no examinee passed, so there is no certificate to issue."))
    return problems


def _certificate_for(entry: RosterEntry, enterprise: Enterprise, issued_on: dt.date, **extra):
    return Certificate(
        enterprise=enterprise,
        entry=entry,
        holder_name=entry.name,
        id_type=entry.id_type,
        id_number=entry.id_number,
        photo=entry.photo.name if entry.photo else "",
        occupation_code=entry.occupation_code,
        occupation_name=entry.occupation_name,
        work_type_name=entry.work_type_name,
        level=entry.level,
        issuer_name=enterprise.name,
        issued_on=issued_on,
        **extra,
    )


def _numbers(prefix: NumberingPrefix, enterprise_id: int, issued_on: dt.date, levels: list[int]):
    """One new number per level given (in that order), consecutive within each level."""
    numbers: list[str | None] = [None] * len(levels)
    order = sorted(range(len(levels)), key=lambda i: levels[i])
    for level, positions in groupby(order, key=lambda i: levels[i]):
        positions = list(positions)
        first = numbering.allocate_serials(
            enterprise_id=enterprise_id, year=issued_on.year, level=level, count=len(positions)
        )
        for offset, position in enumerate(positions):
            numbers[position] = numbering.format_number(
                prefix.prefix, issued_on.year, level, first + offset
            )
    return numbers


def issue_certificates(
    *, result_batch: ResultBatch, actor, issued_on: dt.date | None = None
) -> IssueBatch:
    """R-K1/R-K2: one certificate per passed examinee; the batch PDF is printed by the worker."""
    today = timezone.localdate()
    issued_on = issued_on or today
    with transaction.atomic():
        result_batch = (
            ResultBatch.objects.select_for_update(of=("self",))
            .select_related("plan__enterprise")
            .get(pk=result_batch.pk)
        )
        problems = issue_problems(result_batch, issued_on, today)
        if problems:
            raise ServiceError(_("The certificates cannot be issued yet."), problems)
        enterprise = result_batch.plan.enterprise
        prefix = NumberingPrefix.objects.get(enterprise=enterprise)
        entries = list(issuable_entries(result_batch))
        job = BackgroundJob.objects.create(
            kind=JOB_KIND, created_by=actor, total=len(entries), params={}
        )
        try:
            with transaction.atomic():
                batch = IssueBatch.objects.create(
                    result_batch=result_batch,
                    enterprise=enterprise,
                    issued_on=issued_on,
                    issued_by=actor,
                    job=job,
                )
        except IntegrityError:
            raise ServiceError(
                _("The certificates of these results have already been issued.")
            ) from None
        job.params = {"batch": batch.pk}
        job.save(update_fields=["params"])
        numbers = _numbers(prefix, enterprise.pk, issued_on, [entry.level for entry in entries])
        certificates = [
            _certificate_for(entry, enterprise, issued_on, batch=batch, position=position, number=n)
            for position, (entry, n) in enumerate(zip(entries, numbers, strict=True))
        ]
        Certificate.objects.bulk_create(certificates, batch_size=500)
        for entry, number in zip(entries, numbers, strict=True):
            entry.certificate_number = number
            entry.issued_on = issued_on
        RosterEntry.objects.bulk_update(
            entries, ["certificate_number", "issued_on"], batch_size=500
        )
        BatchPart.objects.bulk_create(
            BatchPart(batch=batch, index=index, size=min(PART_SIZE, len(entries) - start))
            for index, start in enumerate(range(0, len(entries), PART_SIZE))
        )
        audit_record(
            obj=result_batch,
            actor=actor,
            action="certificates_issued",
            note=_("%(count)s certificates, %(first)s … %(last)s")
            % {"count": len(entries), "first": min(numbers), "last": max(numbers)},
        )
        from certificates.tasks import print_batch

        enqueue_on_commit(print_batch, batch.pk)
    return batch


# Printing (called by certificates.tasks) ----------------------------------------------------


def batch_certificates(batch: IssueBatch):
    """The certificates printed in the batch PDF, in roster order: those valid when it is
    printed. A revoked one is not handed out; one reissued or corrected before the printing is
    printed in its replacement's form, at the same place (a replacement takes its position)."""
    return Certificate.objects.filter(batch=batch, status=CertificateStatus.VALID).order_by(
        "position"
    )


@dataclass(frozen=True)
class PartOutcome:
    batch_id: int | None = None  # the part's batch, when this call rendered it
    busy_for: int | None = None  # seconds until another task's claim goes stale


def _claim_seconds() -> int:
    return settings.CERTIFICATE_PART_CLAIM_SECONDS


def parts_to_render(*, batch_id: int) -> list[int]:
    """Parts neither rendered nor claimed by a task still within its claim."""
    stale = timezone.now() - dt.timedelta(seconds=_claim_seconds())
    return list(
        BatchPart.objects.filter(batch_id=batch_id, rendered_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .order_by("index")
        .values_list("pk", flat=True)
    )


def parts_claimed(*, batch_id: int) -> list[tuple[int, int]]:
    """Parts not rendered whose claim is still fresh, each with the seconds until it goes stale."""
    now = timezone.now()
    stale = now - dt.timedelta(seconds=_claim_seconds())
    return [
        (part_id, max(1, int(_claim_seconds() - (now - claimed_at).total_seconds())))
        for part_id, claimed_at in BatchPart.objects.filter(
            batch_id=batch_id, rendered_at__isnull=True, claimed_at__gte=stale
        )
        .order_by("index")
        .values_list("pk", "claimed_at")
    ]


def part_render(*, part_id: int) -> PartOutcome:
    """Render one part unless it is rendered or another task holds it. Safe to run twice."""
    from certificates.printing import certificates_pdf

    now = timezone.now()
    stale = now - dt.timedelta(seconds=_claim_seconds())
    claimed = (
        BatchPart.objects.filter(pk=part_id, rendered_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .update(claimed_at=now)
    )
    if not claimed:
        part = BatchPart.objects.filter(pk=part_id).first()
        if part is None or part.rendered_at or part.claimed_at is None:
            return PartOutcome()
        remaining = _claim_seconds() - (now - part.claimed_at).total_seconds()
        return PartOutcome(busy_for=max(1, int(remaining)))
    part = BatchPart.objects.select_related("batch").get(pk=part_id)
    start = part.index * PART_SIZE
    certificates = batch_certificates(part.batch).filter(
        position__gte=start, position__lt=start + part.size
    )
    certificates = list(certificates)
    name = ""  # every certificate of the part was revoked before printing: nothing to print
    if certificates:
        name = default_storage.save(
            f"certificates/parts/batch-{part.batch_id}-part-{part.index:04d}.pdf",
            ContentFile(certificates_pdf(certificates)),
        )
    BatchPart.objects.filter(pk=part.pk).update(pdf=name, rendered_at=timezone.now())
    return PartOutcome(batch_id=part.batch_id)


def batch_progress(*, batch_id: int) -> None:
    """The job's progress is recounted from the rendered parts, so a rerun never overcounts."""
    batch = IssueBatch.objects.get(pk=batch_id)
    rendered = BatchPart.objects.filter(batch=batch, rendered_at__isnull=False).aggregate(
        n=Coalesce(Sum("size"), 0)
    )["n"]
    if batch.job_id:
        BackgroundJob.objects.filter(pk=batch.job_id, status__in=["queued", "running"]).update(
            done=rendered, status=JobStatus.RUNNING, updated_at=timezone.now()
        )


def batch_assemble(*, batch_id: int) -> bool:
    """Join the parts into the batch PDF once every part is there; True when it did."""
    import pikepdf

    batch = IssueBatch.objects.get(pk=batch_id)
    if batch.status == IssueStatus.READY:
        return False
    parts = list(batch.parts.order_by("index"))
    if any(part.rendered_at is None for part in parts):
        return False
    document = pikepdf.new()
    sources = []
    for part in parts:
        if not part.pdf:
            continue
        with part.pdf.open("rb") as handle:
            source = pikepdf.open(BytesIO(handle.read()))
        sources.append(source)
        document.pages.extend(source.pages)
    buffer = BytesIO()
    document.save(buffer)
    pages = len(document.pages)
    for source in sources:
        source.close()
    name = default_storage.save(
        f"certificates/batches/certificates-{batch.pk}.pdf", ContentFile(buffer.getvalue())
    )
    updated = IssueBatch.objects.filter(pk=batch.pk, status=IssueStatus.RENDERING).update(
        pdf=name, pages=pages, status=IssueStatus.READY, rendered_at=timezone.now()
    )
    if not updated:
        # Two last parts finished together and both joined the batch: keep the recorded file.
        default_storage.delete(name)
    if batch.job_id:
        BackgroundJob.objects.filter(pk=batch.job_id).update(
            done=F("total"), status=JobStatus.DONE, updated_at=timezone.now()
        )
    return bool(updated)


def holder_pdf(certificate: Certificate) -> bytes:
    """One certificate's PDF; rendered on first request, then kept until the status changes."""
    from certificates.printing import certificates_pdf

    if certificate.pdf:
        try:
            with certificate.pdf.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            pass
    content = certificates_pdf([certificate])
    certificate.pdf.save(f"{certificate.public_id}.pdf", ContentFile(content), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    return content


def _drop_holder_pdf(certificate: Certificate) -> None:
    if certificate.pdf:
        certificate.pdf.delete(save=False)
        Certificate.objects.filter(pk=certificate.pk).update(pdf="")


# Revocation, correction and reissue ---------------------------------------------------------


def _lock_certificate(certificate: Certificate, expected_version: int | None) -> Certificate:
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if expected_version is not None and locked.version != expected_version:
        raise StaleEdit()
    if locked.status != CertificateStatus.VALID:
        raise InvalidTransition(
            _("Certificate %(number)s is “%(status)s”; only a valid certificate can change.")
            % {"number": locked.number, "status": locked.get_status_display()}
        )
    return locked


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
        locked = _lock_certificate(certificate, expected_version)
        locked.status = CertificateStatus.REVOKED
        locked.revoked_on = timezone.localdate()
        locked.revoked_reason = reason
        locked.revoked_by = actor
        locked.version += 1
        locked.save(
            update_fields=["status", "revoked_on", "revoked_reason", "revoked_by", "version"]
        )
        _drop_holder_pdf(locked)
        _forget_answer(locked.number)
        audit_record(
            obj=locked,
            actor=actor,
            action="certificate_revoked",
            from_status=CertificateStatus.VALID,
            to_status=CertificateStatus.REVOKED,
            note=reason,
        )
    return locked


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
        old = _lock_certificate(certificate, expected_version)
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
                _("R-K2: the city bureau has not set this enterprise's certificate number prefix.")
            )
        today = timezone.localdate()
        (number,) = _numbers(prefix, old.enterprise_id, today, [old.level])
        old.status = CertificateStatus.REPLACED
        old.version += 1
        old.save(update_fields=["status", "version"])
        _drop_holder_pdf(old)
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
            issuer_name=old.issuer_name,
            issued_on=today,
            replaces=old,
            replacement_kind=kind,
            replacement_reason=reason,
        )
        RosterEntry.objects.filter(pk=old.entry_id).update(
            certificate_number=number, issued_on=today
        )
        note = reason
        if changed:
            note += " (" + ", ".join(sorted(changed)) + ")"
        audit_record(
            obj=old,
            actor=actor,
            action=f"certificate_{kind}",
            from_status=CertificateStatus.VALID,
            to_status=CertificateStatus.REPLACED,
            note=f"→ {number}: {note}",
        )
        audit_record(obj=new, actor=actor, action="certificate_issued", note=f"← {old.number}")
    return new


# Reporting (R-K4) ---------------------------------------------------------------------------


def report_create(*, enterprise: Enterprise, actor) -> CertificateReport:
    """Export every certificate not yet reported (new, corrected, reissued) in roster format."""
    from certificates.spreadsheets import report_xlsx

    with transaction.atomic():
        Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        pending = list(
            Certificate.objects.filter(
                enterprise=enterprise, reported_in__isnull=True, status=CertificateStatus.VALID
            )
            .select_related("entry")
            .order_by("issued_on", "number")
        )
        if not pending:
            raise ServiceError(_("Every certificate has already been reported."))
        report = CertificateReport(enterprise=enterprise, created_by=actor, count=len(pending))
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        # The file for the provincial system holds full ID numbers: sealed on disk (PIPL).
        report.file.save(
            f"certificate-report-{enterprise.pk}-{stamp}.xlsx",
            ContentFile(seal_bytes(report_xlsx(pending, masked=False))),
            save=False,
        )
        report.save()
        Certificate.objects.filter(pk__in=[c.pk for c in pending]).update(reported_in=report)
        audit_record(
            obj=enterprise, actor=actor, action="certificates_reported", note=str(len(pending))
        )
    return report


def report_mark_uploaded(*, report: CertificateReport, actor) -> CertificateReport:
    """The enterprise records that it uploaded the export to the provincial system."""
    with transaction.atomic():
        report = CertificateReport.objects.select_for_update().get(pk=report.pk)
        if report.reported_on:
            raise InvalidTransition(
                _("This export was already recorded as uploaded on %(day)s.")
                % {"day": _d(report.reported_on)}
            )
        report.reported_on = timezone.localdate()
        report.reported_by = actor
        report.save(update_fields=["reported_on", "reported_by"])
    return report


def report_file_full(*, report: CertificateReport) -> bytes:
    """The stored report (R-K4) as made for the provincial system: full ID numbers."""
    with report.file.open("rb") as stored:
        return open_bytes(stored.read())


def report_file_masked(*, report: CertificateReport) -> bytes:
    """The same rows with the ID numbers masked: what the usual download gives (PIPL)."""
    from certificates.spreadsheets import report_xlsx

    certificates = report.certificates.select_related("entry").order_by("issued_on", "number")
    return report_xlsx(certificates, masked=True)
