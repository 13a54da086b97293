"""Issuance (R-K1, R-K2) and the printing of its batch PDF.

Issuance takes the approved result batch, gives each passed examinee (roster order) the next
numbers of their (enterprise, year, level) inside one transaction, and leaves the printing of the
batch PDF to the worker (certificates.issuance.tasks). The numbers are gap-free because the
serials are reserved by the same transaction that inserts the certificates
(portal.core.counters).
"""

import datetime as dt
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.models import BatchStatus, ExamineeResult, ResultBatch, RosterEntry
from certificates.models import (
    BatchPart,
    Certificate,
    CertificateStatus,
    IssueBatch,
    IssueStatus,
    NumberingPrefix,
)
from certificates.numbering.services import new_numbers
from filings.models import Enterprise
from portal.core.audit import audit_record
from portal.core.dispatch import enqueue_on_commit
from portal.core.errors import ServiceError
from portal.core.models import BackgroundJob, JobStatus

# Pages per part of a batch PDF: parts are rendered in parallel by the worker's processes and
# are the unit of resumption. 250 pages is about 4 s of one core.
PART_SIZE = 250
JOB_KIND = "certificate_batch"


def _d(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


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
    if result_batch.status == BatchStatus.PROVINCE_REVIEW:
        # Seed 004 §三(三): after the city, the provincial centre reviews the results.
        problems.append(
            _(
                "The results wait for the provincial centre's review: certificates are issued "
                "once it approves them."
            )
        )
    elif result_batch.status != BatchStatus.APPROVED:
        problems.append(
            # R-K1
            _("Certificates are issued only after the city approved the result filing.")
        )
    if hasattr(result_batch, "issue_batch"):
        # R-K1
        problems.append(_("The certificates of these results have already been issued."))
    if not NumberingPrefix.objects.filter(enterprise=enterprise).exists():
        problems.append(
            _(
                # R-K2
                "The city bureau has not yet set this enterprise's certificate number "
                "prefix (institution code, province code, site serial)."
            )
        )
    if _ended_by_sanction(enterprise):
        problems.append(
            _(
                # R-M2, R-M3
                "The enterprise's filing was cancelled or removed from the directory; "
                "it may not issue certificates until it is filed again."
            )
        )
    if issued_on > today:
        # R-K3
        problems.append(_("Issue date: it cannot be in the future."))
    if result_batch.approved_on and issued_on < result_batch.approved_on:
        problems.append(
            # R-K1
            _("Issue date: it cannot be before the result filing was approved on %(day)s.")
            % {"day": _d(result_batch.approved_on)}
        )
    if not problems and not issuable_entries(result_batch).exists():
        # R-K1
        problems.append(_("No examinee passed, so there is no certificate to issue."))
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
        enterprise_level=entry.enterprise_level,
        issuer_name=enterprise.name,
        issued_on=issued_on,
        **extra,
    )


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
        numbers = new_numbers(prefix, enterprise.pk, issued_on, [entry.level for entry in entries])
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
        from certificates.issuance.tasks import print_batch

        enqueue_on_commit(print_batch, batch.pk)
    return batch


# Printing the batch PDF (called by certificates.issuance.tasks) ------------------------------


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
    from certificates.printing.documents import certificates_pdf

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
