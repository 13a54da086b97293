"""Roster import for a plan (R-P5): the database side of the checks, the import, its jobs.

A roster is checked when it is uploaded (the preview), and checked again when it is imported:
another plan may have taken the same person meanwhile (R-P5a). Small files are done within the
request; bigger ones by a Celery worker, with the progress the job page polls.
"""

import datetime as dt
import io
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import EDITABLE_PLAN_STATUSES, ImplementationPlan, RosterEntry
from assessments.rosters import photos as photo_zip
from assessments.rosters.reader import (
    COLUMNS,
    ParsedRoster,
    Problem,
    RosterContext,
    RosterFileError,
    RosterRow,
    Scope,
    WorkbookInfo,
    inspect_workbook,
    read_roster,
)
from assessments.rosters.reader.context import check_once_a_year
from assessments.rosters.reader.rows import cell_text
from filings.eligibility import policy_for
from filings.models import Enterprise
from portal.core.audit import audit_record
from portal.core.crypto import encrypt_id, id_digest, open_bytes, seal_bytes
from portal.core.dispatch import enqueue_on_commit
from portal.core.errors import InvalidTransition, ServiceError
from portal.core.masking import mask_id
from portal.core.models import BackgroundJob, JobStatus
from portal.core.workflow import bump, locked, require_status

logger = logging.getLogger(__name__)

JOB_KIND = "roster_import"
# Files with more rows than this are checked and imported by a worker, with a progress bar.
BACKGROUND_ROWS = 2000
# A job no worker has picked up within this time is done on demand (the broker may be down).
STALE_QUEUED = timedelta(minutes=2)
STALE_RUNNING = timedelta(minutes=15)
INSERT_BATCH = 1000
_ID_QUERY_BATCH = 2000
_PROGRESS_SAVE_EVERY = 500
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

# Phases of a roster job, in job.result["phase"].
CHECKING, CHECKED, IMPORTING, IMPORTED = "checking", "checked", "importing", "imported"
_KEYS = [key for key, _header in COLUMNS]
_NAME, _ID_NUMBER = _KEYS.index("name"), _KEYS.index("id_number")


# The context of the checks -----------------------------------------------------------------


def first_session_date(plan: ImplementationPlan) -> dt.date | None:
    return plan.sessions.aggregate(first=Min("date"))["first"]


def plan_year(plan: ImplementationPlan, first_session: dt.date | None = None) -> int:
    """R-P5a: the year of a plan is that of its first session, else of its creation."""
    if first_session is not None:
        return first_session.year
    return timezone.localtime(plan.created_at).year


def roster_context(plan: ImplementationPlan) -> RosterContext:
    line = plan.scheme.scope_line
    policy = policy_for(plan.enterprise)
    first_session = first_session_date(plan)
    year = plan_year(plan, first_session)
    # R-P4: the plan's levels, never beyond the filed scope line.
    levels = set(line.levels)
    if plan.levels:
        levels &= {int(level) for level in plan.levels}
    scope = Scope(
        occupation_code=line.occupation.code,
        occupation_name=line.occupation.name,
        work_type_name=line.work_type.name if line.work_type else "",
        levels=frozenset(levels),
    )

    def prior_entries(id_numbers: list[str]) -> dict[str, list[tuple[int, str]]]:
        return _prior_entries(
            plan=plan, occupation_code=scope.occupation_code, year=year, ids=id_numbers
        )

    return RosterContext(
        scope=scope,
        admitted_categories=frozenset(policy.examinee_categories or []),
        dispatched_min_months=policy.dispatched_min_months,
        reference_date=first_session or timezone.localdate(),
        city_name=policy.city.name,
        year=year,
        prior_entries=prior_entries,
    )


def _prior_entries(
    *, plan: ImplementationPlan, occupation_code: str, year: int, ids: list[str]
) -> dict[str, list[tuple[int, str]]]:
    """R-P5a: entries of the enterprise's other plans of the year for the same occupation.

    Found by the keyed hash of the ID number (the number itself is encrypted at rest)."""
    found: list[tuple[str, int, int]] = []
    numbers = {id_digest(number): number for number in set(ids)}
    unique = sorted(numbers)
    for start in range(0, len(unique), _ID_QUERY_BATCH):
        chunk = unique[start : start + _ID_QUERY_BATCH]
        found += (
            RosterEntry.objects.filter(
                plan__enterprise_id=plan.enterprise_id,
                occupation_code=occupation_code,
                id_hash__in=chunk,
            )
            .exclude(plan_id=plan.pk)
            .values_list("id_hash", "level", "plan_id")
        )
    if not found:
        return {}
    plans = {
        other.pk: other
        for other in ImplementationPlan.objects.filter(
            pk__in={plan_id for _id, _level, plan_id in found}
        ).annotate(first_session=Min("sessions__date"))
    }
    prior: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for digest, level, plan_id in found:
        other = plans[plan_id]
        if plan_year(other, other.first_session) == year:
            prior[numbers[digest]].append((level, other.title))
    return prior


def roster_check(
    *, plan: ImplementationPlan, data: bytes, info: WorkbookInfo | None = None, progress=None
) -> ParsedRoster:
    """Every rule of R-P3, R-P4, R-P5, R-P5a on the file; raises RosterFileError if unreadable."""
    return read_roster(data, roster_context(plan), info=info, progress=progress)


# The import --------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    imported: int
    left_out: int
    problems: list[Problem] = field(default_factory=list)


def _entry_values(plan_id: int, seq: int, row: RosterRow, photo: str, now) -> dict:
    values = row.values
    return {
        "plan_id": plan_id,
        "seq": seq,
        **{key: values[key] for key, _header in COLUMNS if key != "seq"},
        "category": values["category"],
        "photo": photo,
        "created_at": now,
    }


def _insert_entries(rows: list[dict]) -> None:
    """bulk_create, or COPY on PostgreSQL: a 10,000-row roster goes in a fraction of a second
    instead of seconds of SQL compiling (the benchmark of issue 3)."""
    if connection.vendor != "postgresql":
        RosterEntry.objects.bulk_create(
            [RosterEntry(**values) for values in rows], batch_size=INSERT_BATCH
        )
        return
    fields = [f for f in RosterEntry._meta.concrete_fields if not f.primary_key]
    buffer = io.StringIO()
    for values in rows:
        # COPY bypasses the fields' own conversions: the ID number is encrypted and its digest
        # computed here, as EncryptedIDField and IDDigestField do for bulk_create.
        number = values["id_number"]
        values = {**values, "id_number": encrypt_id(number), "id_hash": id_digest(number)}
        line = (
            _copy_text(values[f.attname] if f.attname in values else f.get_default())
            for f in fields
        )
        buffer.write("\t".join(line) + "\n")
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(RosterEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)


def _copy_text(value) -> str:
    """A value in COPY's text format: \\N is NULL; backslash, tab and line breaks escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _require_editable(plan: ImplementationPlan) -> None:
    refusal = _("The roster cannot be changed while the plan is “%(status)s”.") % {
        "status": plan.get_status_display()
    }
    require_status(plan, EDITABLE_PLAN_STATUSES, refusal=refusal)


def roster_import(
    *,
    plan: ImplementationPlan,
    actor,
    data: bytes,
    filename: str,
    only_good: bool = False,
    progress=None,
) -> ImportOutcome:
    """Check the file and replace the plan's roster with its rows (R-P5).

    With problems in the file nothing is imported, unless the user chose explicitly to import
    only the good rows. Photos already attached stay with the same ID numbers.
    """
    _require_editable(plan)
    try:
        parsed = roster_check(plan=plan, data=data, progress=progress)
    except RosterFileError as error:
        raise ServiceError(str(error)) from error
    if parsed.file_problems:
        raise ServiceError(_("The file cannot be imported as a roster."), parsed.file_problems)
    good = parsed.good_rows
    left_out = len(parsed.rows) - len(good)
    if left_out and not only_good:
        raise ServiceError(
            _(
                "%(count)s rows have problems: correct them and upload the file again, or "
                "choose explicitly to import only the %(good)s good rows."
            )
            % {"count": left_out, "good": len(good)},
            parsed.problems,
        )
    if not good:
        raise ServiceError(_("No row of the file can be imported."), parsed.problems)
    with transaction.atomic():
        fresh = locked(plan)
        _require_editable(fresh)
        # One import per enterprise at a time, so two plans cannot both take the same
        # person in the same year (R-P5a): checked again under the lock.
        Enterprise.objects.select_for_update().filter(pk=fresh.enterprise_id).first()
        check_once_a_year(good, roster_context(fresh))
        late = [p for row in good for p in row.problems]
        if late:
            raise ServiceError(
                _("Meanwhile other rosters of the enterprise took some of these people (R-P5a)."),
                late,
            )
        photos = dict(fresh.roster.exclude(photo="").values_list("id_hash", "photo"))
        fresh.roster.all().delete()
        now = timezone.now()
        entries = [
            _entry_values(
                fresh.pk,
                seq,
                row,
                photos.get(id_digest(row.values["id_number"]), "") if photos else "",
                now,
            )
            for seq, row in enumerate(good, start=1)
        ]
        _insert_entries(entries)
        bump(fresh)
        audit_record(
            obj=fresh,
            actor=actor,
            action="roster_import",
            note=_("%(count)s examinees imported from “%(file)s”; %(left)s rows left out.")
            % {"count": len(entries), "file": filename, "left": left_out},
        )
    return ImportOutcome(imported=len(entries), left_out=left_out, problems=parsed.problems)


# Jobs: upload → check (preview) → import -------------------------------------------------


def _save_job(job: BackgroundJob, *fields: str) -> None:
    job.save(update_fields=[*fields, "updated_at"])


def _progress(job: BackgroundJob):
    def report(done: int, total: int) -> None:
        if done == total or done % _PROGRESS_SAVE_EVERY == 0:
            BackgroundJob.objects.filter(pk=job.pk).update(
                done=done, total=max(total, 1), updated_at=timezone.now()
            )

    return report


def roster_upload(
    *, plan: ImplementationPlan, actor, data: bytes, filename: str, info: WorkbookInfo | None = None
) -> BackgroundJob:
    """Keep the file for the preview; check it now, or in the background when it is big."""
    _require_editable(plan)
    if info is None:
        try:
            info = inspect_workbook(data)
        except RosterFileError as error:
            raise ServiceError(str(error)) from error
    job = BackgroundJob(
        kind=JOB_KIND,
        created_by=actor,
        params={"plan": plan.pk, "filename": filename},
        result={"phase": CHECKING},
        total=max(info.row_elements, 1),
    )
    # The upload holds every examinee's ID number: sealed on disk (PIPL) until it is imported
    # or purged.
    job.file.save(f"roster-{plan.pk}.xlsx", ContentFile(seal_bytes(data)), save=False)
    job.save()
    if info.row_elements > BACKGROUND_ROWS:
        from assessments.tasks import check_roster

        enqueue_on_commit(check_roster, job.pk)
    else:
        roster_job_check(job_id=job.pk)
        job.refresh_from_db()
    return job


def _job_plan(job: BackgroundJob) -> ImplementationPlan:
    return ImplementationPlan.objects.select_related(
        "enterprise__district__parent",
        "scheme__scope_line__occupation",
        "scheme__scope_line__work_type",
    ).get(pk=job.params["plan"])


def roster_job_data(job: BackgroundJob) -> bytes:
    """The uploaded file of a job, as it was uploaded."""
    with job.file.open("rb") as stored:
        return open_bytes(stored.read())


def _fail(job: BackgroundJob, message: str) -> None:
    job.status = JobStatus.FAILED
    job.message = message
    _save_job(job, "status", "message")


def roster_job_check(*, job_id: int) -> None:
    """The preview: every problem of the file, stored on the job for the page and the report."""
    job = BackgroundJob.objects.get(pk=job_id, kind=JOB_KIND)
    if job.result.get("phase") != CHECKING:
        return
    job.status = JobStatus.RUNNING
    _save_job(job, "status")
    try:
        parsed = roster_check(
            plan=_job_plan(job), data=roster_job_data(job), progress=_progress(job)
        )
    except RosterFileError as error:
        _fail(job, str(error))
        return
    except Exception:
        _fail(job, _("The roster could not be checked because of an error in the portal."))
        raise
    job.refresh_from_db(fields=["done", "total"])
    job.result = _check_result(parsed)
    job.status = JobStatus.DONE
    job.done = job.total
    _save_job(job, "result", "status", "done")


def _check_result(parsed: ParsedRoster) -> dict:
    """What the preview shows and the error report needs, kept as JSON on the job (the ID
    numbers masked: the job outlives the import)."""

    def problem_list(problems: list[Problem]) -> list[list]:
        return [[p.column, p.reason, p.rule] for p in problems]

    return {
        "phase": CHECKED,
        "rows": len(parsed.rows),
        "good": len(parsed.good_rows),
        "bad": len(parsed.bad_rows),
        "has_category": parsed.has_category,
        "file_problems": [
            [p.row, *item]
            for p, item in zip(
                parsed.file_problems, problem_list(parsed.file_problems), strict=True
            )
        ],
        "bad_rows": [
            [
                row.row,
                cell_text(row.cells[_NAME]),
                mask_id(cell_text(row.cells[_ID_NUMBER])),
                problem_list(row.problems),
            ]
            for row in parsed.bad_rows
        ],
    }


def roster_job_import(*, job: BackgroundJob, actor, only_good: bool) -> BackgroundJob:
    """Import the checked file: when it is clean, or only its good rows when asked explicitly."""
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().get(pk=job.pk)
        result = job.result
        if job.status != JobStatus.DONE or result.get("phase") != CHECKED:
            raise ServiceError(_("This file is already imported, or being imported."))
        if result["file_problems"] or not result["good"]:
            raise ServiceError(_("No row of the file can be imported."))
        if result["bad"] and not only_good:
            raise ServiceError(
                _(
                    "%(count)s rows have problems: correct them and upload the file again, or "
                    "choose explicitly to import only the %(good)s good rows."
                )
                % {"count": result["bad"], "good": result["good"]}
            )
        job.params = {**job.params, "only_good": only_good, "actor": getattr(actor, "pk", None)}
        job.result = {**result, "phase": IMPORTING}
        job.status = JobStatus.QUEUED
        job.done = 0
        _save_job(job, "params", "result", "status", "done")
    if result["rows"] > BACKGROUND_ROWS:
        from assessments.tasks import import_roster

        enqueue_on_commit(import_roster, job.pk)
    else:
        roster_job_run_import(job_id=job.pk)
        job.refresh_from_db()
    return job


def roster_job_run_import(*, job_id: int) -> None:
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().get(pk=job_id, kind=JOB_KIND)
        if job.result.get("phase") != IMPORTING or job.status != JobStatus.QUEUED:
            return  # done already, or being done by someone else
        job.status = JobStatus.RUNNING
        _save_job(job, "status")
    plan = _job_plan(job)
    actor = get_user_model().objects.filter(pk=job.params.get("actor")).first()
    try:
        outcome = roster_import(
            plan=plan,
            actor=actor,
            data=roster_job_data(job),
            filename=job.params.get("filename", ""),
            only_good=job.params.get("only_good", False),
            progress=_progress(job),
        )
    except InvalidTransition as error:
        _fail(job, error.message)
        return
    except ServiceError as error:
        # The other rosters changed what the preview showed (R-P5a): show the file again.
        try:
            job.result = _check_result(roster_check(plan=plan, data=roster_job_data(job)))
        except RosterFileError as unreadable:
            _fail(job, str(unreadable))
            return
        job.status = JobStatus.DONE
        job.message = error.message
        _save_job(job, "result", "status", "message")
        return
    except Exception:
        _fail(job, _("The roster could not be imported because of an error in the portal."))
        raise
    job.refresh_from_db(fields=["total"])
    job.result = {
        **job.result,
        "phase": IMPORTED,
        "imported": outcome.imported,
        "left_out": outcome.left_out,
    }
    job.status = JobStatus.DONE
    job.message = ""
    job.done = job.total
    _save_job(job, "result", "status", "message", "done")
    # The file holds personal data: it is kept only as long as the import needs it.
    job.file.delete(save=False)
    _save_job(job, "file")


def roster_job_recover(*, job: BackgroundJob) -> BackgroundJob:
    """Do on demand the work of a job no worker picked up; give up on one that stopped."""
    age = timezone.now() - job.updated_at
    if job.status == JobStatus.QUEUED and age > STALE_QUEUED:
        logger.warning("roster job %s was not picked up by a worker; running it now", job.pk)
        if job.result.get("phase") == CHECKING:
            roster_job_check(job_id=job.pk)
        elif job.result.get("phase") == IMPORTING:
            roster_job_run_import(job_id=job.pk)
        job.refresh_from_db()
    elif job.status == JobStatus.RUNNING and age > STALE_RUNNING:
        _fail(job, _("The work stopped before it finished. Upload the file again."))
    return job


# Photos ------------------------------------------------------------------------------------


@dataclass
class PhotoReport:
    attached: list[str]  # names of the examinees whose photo was attached
    rejected: list[tuple[str, str]]  # (file in the ZIP, why it was not used)
    missing: list[RosterEntry]  # examinees still without a photo


def roster_photos_attach(*, plan: ImplementationPlan, actor, data: bytes) -> PhotoReport:
    """Photos named by ID number (e.g. 110105194912310021.jpg) attached to the plan's roster."""
    _require_editable(plan)
    try:
        photos, rejected = photo_zip.read_photo_zip(data)
    except photo_zip.PhotoZipError as error:
        raise ServiceError(str(error)) from error
    attached: list[str] = []
    with transaction.atomic():
        fresh = locked(plan)
        _require_editable(fresh)
        entries = {entry.id_number: entry for entry in fresh.roster.all()}
        for id_number, photo in photos.items():
            entry = entries.get(id_number)
            if entry is None:
                rejected.append((photo.member, _("No examinee of this roster has this ID number.")))
                continue
            old = entry.photo.name if entry.photo else ""
            entry.photo.save(
                f"{fresh.pk}-{entry.pk}.{photo.extension}", ContentFile(photo.content), save=False
            )
            entry.save(update_fields=["photo"])
            if old and old != entry.photo.name:
                transaction.on_commit(
                    lambda name=old, storage=entry.photo.storage: storage.delete(name)
                )
            attached.append(entry.name)
        if attached:
            audit_record(
                obj=fresh,
                actor=actor,
                action="roster_photos",
                note=_("%(count)s photos attached.") % {"count": len(attached)},
            )
    missing = list(plan.roster.filter(photo="").order_by("seq"))
    rejected.sort()
    return PhotoReport(attached=attached, rejected=rejected, missing=missing)


def register_roster_labels() -> None:
    """The plan's history reads as words (called from AssessmentsConfig.ready)."""
    from django.utils.translation import gettext_lazy

    from portal.core.audit import register_labels

    register_labels(
        actions={
            "roster_import": gettext_lazy("roster imported"),
            "roster_photos": gettext_lazy("photos attached to the roster"),
        },
        statuses={},
    )


def roster_jobs_purge(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Uploads never imported hold personal data: their files and jobs go after a while."""
    stale = BackgroundJob.objects.filter(
        kind=JOB_KIND, updated_at__lt=timezone.now() - older_than
    ).exclude(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    count = 0
    for job in stale:
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count
