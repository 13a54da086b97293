"""Roster import for a plan (R-P5): the database side of the checks, the import, its jobs.

A roster is checked when it is uploaded (the preview), and checked again when it is imported:
another plan may have taken the same person meanwhile (R-P5a). Small files are done within the
request; bigger ones by a Celery worker, with the progress the job page polls.
"""

import datetime as dt
import io
import itertools
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from assessments.models import (
    EDITABLE_PLAN_STATUSES,
    WORKING_ROSTER_PHASES,
    ImplementationPlan,
    RosterEntry,
    RosterImport,
)
from assessments.models import RosterImportPhase as Phase
from assessments.rosters import conditions
from assessments.rosters import photos as photo_zip
from assessments.rosters.checks import roster_check, roster_context
from assessments.rosters.reader import (
    COLUMNS,
    ParsedRoster,
    Problem,
    RosterFileError,
    RosterRow,
    WorkbookInfo,
    inspect_workbook,
)
from assessments.rosters.reader.context import check_once_a_year
from assessments.rosters.reader.rows import cell_text
from filings.models import Enterprise
from portal.core.audit import audit_record
from portal.core.crypto import encrypt_id, id_digest, open_bytes, seal_bytes
from portal.core.dispatch import enqueue_on_commit
from portal.core.errors import InvalidTransition, ServiceError
from portal.core.masking import mask_id
from portal.core.workflow import bump, locked, require_status

logger = logging.getLogger(__name__)

# Files with more rows than this are checked and imported by a worker, with a progress bar.
BACKGROUND_ROWS = 2000
# Work no worker picked up within STALE_QUEUED (the broker may be down), or claimed longer than
# STALE_RUNNING (the worker stopped), is dispatched again by the beat (roster_imports_resume).
STALE_QUEUED = timedelta(minutes=2)
STALE_RUNNING = timedelta(minutes=15)
INSERT_BATCH = 1000
# The bad rows and file problems an import keeps for its page, their problems at most
# PREVIEW_PROBLEMS, each text at most PREVIEW_TEXT characters (a cell may hold 32,767 and a
# message quotes it): the error report reads the rest from the file, so neither the import row
# nor the page grows with the file.
PREVIEW_ROWS = 200
PREVIEW_PROBLEMS = 500
PREVIEW_TEXT = 200
_PROGRESS_SAVE_EVERY = 500
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})

_KEYS = [key for key, _header in COLUMNS]
_NAME, _ID_NUMBER = _KEYS.index("name"), _KEYS.index("id_number")


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
        "enterprise_level": values.get("enterprise_level", ""),
        **conditions.entry_values(row),
        "entrusted_client_id": values.get("entrusted_client_id"),
        "photo": photo,
        "created_at": now,
    }


def _insert_entries(rows: list[dict]) -> None:
    """bulk_create, or COPY on PostgreSQL: a 10,000-row roster goes in a fraction of a second
    instead of seconds of SQL compiling."""
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
                # R-P5a
                _("Meanwhile other rosters of the enterprise took some of these people."),
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


# Imports: upload → check (preview) → import ------------------------------------------------


def _progress(upload: RosterImport):
    def report(done: int, total: int) -> None:
        if done == total or done % _PROGRESS_SAVE_EVERY == 0:
            RosterImport.objects.filter(pk=upload.pk).update(
                done=done, total=max(total, 1), updated_at=timezone.now()
            )

    return report


def _save(upload: RosterImport, *fields: str) -> None:
    upload.save(update_fields=[*fields, "updated_at"])


def _dispatch(upload: RosterImport, *, background: bool) -> None:
    """The work of the import's phase: by a worker when it is big, else within the request."""
    from assessments import tasks

    task = tasks.check_roster if upload.phase == Phase.CHECKING else tasks.import_roster
    if background:
        enqueue_on_commit(task, upload.pk)
    elif upload.phase == Phase.CHECKING:
        roster_import_check(roster_import_id=upload.pk)
    else:
        roster_import_run(roster_import_id=upload.pk)


def roster_upload(
    *, plan: ImplementationPlan, actor, data: bytes, filename: str, info: WorkbookInfo | None = None
) -> RosterImport:
    """Keep the file for the preview; check it now, or in the background when it is big."""
    _require_editable(plan)
    if info is None:
        try:
            info = inspect_workbook(data, max_rows=settings.ROSTER_MAX_ROWS)
        except RosterFileError as error:
            raise ServiceError(str(error)) from error
    upload = RosterImport(
        plan=plan, created_by=actor, filename=filename[:255], total=max(info.row_elements, 1)
    )
    # The upload holds every examinee's ID number: sealed on disk (PIPL) until it is imported
    # or purged.
    upload.file.save(f"roster-{plan.pk}.xlsx", ContentFile(seal_bytes(data)), save=False)
    upload.save()
    _dispatch(upload, background=info.row_elements > BACKGROUND_ROWS)
    upload.refresh_from_db()
    return upload


def _import_plan(upload: RosterImport) -> ImplementationPlan:
    return ImplementationPlan.objects.select_related(
        "enterprise__district__parent",
        "scheme__scope_line__occupation",
        "scheme__scope_line__work_type",
    ).get(pk=upload.plan_id)


def roster_import_data(upload: RosterImport) -> bytes:
    """The uploaded file, as it was uploaded."""
    with upload.file.open("rb") as stored:
        return open_bytes(stored.read())


def _claim(roster_import_id: int, phase: str) -> RosterImport | None:
    """The import, claimed for its phase's work; None when it is past that phase or another
    worker holds a claim that is not stale yet."""
    with transaction.atomic():
        upload = RosterImport.objects.select_for_update().filter(pk=roster_import_id).first()
        if upload is None or upload.phase != phase:
            return None
        now = timezone.now()
        if upload.claimed_at is not None and now - upload.claimed_at < STALE_RUNNING:
            return None
        upload.claimed_at = now
        _save(upload, "claimed_at")
    return upload


def _fail(upload: RosterImport, message: str) -> None:
    upload.phase = Phase.FAILED
    upload.claimed_at = None
    upload.message = message
    _save(upload, "phase", "claimed_at", "message")


def roster_import_check(*, roster_import_id: int) -> None:
    """checking → checked (or failed): every problem of the file, kept for the preview page and
    the error report."""
    upload = _claim(roster_import_id, Phase.CHECKING)
    if upload is None:
        return
    try:
        parsed = roster_check(
            plan=_import_plan(upload),
            data=roster_import_data(upload),
            progress=_progress(upload),
        )
        upload.refresh_from_db(fields=["done", "total"])
        fields = _set_check_result(upload, parsed)
        upload.phase = Phase.CHECKED
        upload.claimed_at = None
        upload.done = upload.total
        _save(upload, *fields, "phase", "claimed_at", "done")
    except RosterFileError as error:
        _fail(upload, str(error))
    except Exception:
        # Whatever stopped the check (its result too big to store, say), the page says so
        # rather than showing a finished bar with no outcome.
        _fail(upload, _("The roster could not be checked because of an error in the portal."))
        raise


def _set_check_result(upload: RosterImport, parsed: ParsedRoster) -> list[str]:
    """What the preview shows (the ID numbers masked: the import row outlives the file): the
    counts, and the first PREVIEW_ROWS file problems and bad rows."""

    def short(text: str) -> str:
        return Truncator(text).chars(PREVIEW_TEXT)

    def problem_list(problems: list[Problem]) -> list[list]:
        return [[short(p.header), short(p.message), p.rule] for p in problems]

    upload.rows = len(parsed.rows)
    upload.good = len(parsed.good_rows)
    upload.bad = len(parsed.bad_rows)
    upload.has_category = parsed.has_category
    file_problems = parsed.file_problems[:PREVIEW_ROWS]
    upload.preview = {
        "file_problems": [
            [p.row, *item]
            for p, item in zip(file_problems, problem_list(file_problems), strict=True)
        ],
        "file_problem_count": len(parsed.file_problems),
        "bad_rows": preview_bad_rows(
            [
                row.row,
                short(cell_text(row.cells[_NAME])),
                short(mask_id(cell_text(row.cells[_ID_NUMBER]))),
                problem_list(row.problems),
            ]
            for row in parsed.bad_rows[:PREVIEW_ROWS]
        ),
    }
    upload.preview |= conditions.conditions_preview(
        parsed, name=_NAME, id_number=_ID_NUMBER, short=short
    )
    return ["rows", "good", "bad", "has_category", "preview"]


def preview_bad_rows(bad_rows: Iterable[list]) -> list[list]:
    """The first of the stored bad rows [row, name, masked id, problems] that a page shows: at
    most PREVIEW_ROWS, with at most PREVIEW_PROBLEMS problems between them (the first row
    always)."""
    shown: list[list] = []
    problems = 0
    for row in itertools.islice(bad_rows, PREVIEW_ROWS):
        problems += len(row[3])
        if shown and problems > PREVIEW_PROBLEMS:
            break
        shown.append(row)
    return shown


def roster_import_start(*, upload: RosterImport, actor, only_good: bool) -> RosterImport:
    """checked → importing: when the file is clean, or only its good rows when asked
    explicitly."""
    with transaction.atomic():
        upload = locked(upload)
        if upload.phase != Phase.CHECKED:
            raise InvalidTransition(_("This file is already imported, or being imported."))
        if upload.preview.get("file_problems") or not upload.good:
            raise ServiceError(_("No row of the file can be imported."))
        if upload.bad and not only_good:
            raise ServiceError(
                _(
                    "%(count)s rows have problems: correct them and upload the file again, or "
                    "choose explicitly to import only the %(good)s good rows."
                )
                % {"count": upload.bad, "good": upload.good}
            )
        upload.only_good = only_good
        upload.imported_by = actor if getattr(actor, "pk", None) else None
        upload.phase = Phase.IMPORTING
        upload.done = 0
        _save(upload, "only_good", "imported_by", "phase", "done")
    _dispatch(upload, background=upload.rows > BACKGROUND_ROWS)
    upload.refresh_from_db()
    return upload


def roster_import_run(*, roster_import_id: int) -> None:
    """importing → imported; back to checked with the new problems when other rosters took
    some of its people meanwhile (R-P5a); failed when the plan can no longer change."""
    upload = _claim(roster_import_id, Phase.IMPORTING)
    if upload is None:
        return  # done already, or being done by someone else
    plan = _import_plan(upload)
    try:
        outcome = roster_import(
            plan=plan,
            actor=upload.imported_by,
            data=roster_import_data(upload),
            filename=upload.filename,
            only_good=upload.only_good,
            progress=_progress(upload),
        )
    except InvalidTransition as error:
        _fail(upload, error.message)
        return
    except ServiceError as error:
        try:
            parsed = roster_check(plan=plan, data=roster_import_data(upload))
        except RosterFileError as unreadable:
            _fail(upload, str(unreadable))
            return
        fields = _set_check_result(upload, parsed)
        upload.phase = Phase.CHECKED
        upload.claimed_at = None
        upload.message = error.message
        _save(upload, *fields, "phase", "claimed_at", "message")
        return
    except Exception:
        _fail(upload, _("The roster could not be imported because of an error in the portal."))
        raise
    upload.refresh_from_db(fields=["total"])
    upload.phase = Phase.IMPORTED
    upload.claimed_at = None
    upload.imported = outcome.imported
    upload.left_out = outcome.left_out
    upload.message = ""
    upload.done = upload.total
    # The file holds personal data: it is kept only as long as the import needs it.
    upload.file.delete(save=False)
    _save(upload, "phase", "claimed_at", "imported", "left_out", "message", "done", "file")


def roster_imports_resume() -> int:
    """Dispatch again the imports whose work no worker did: never picked up (the broker was
    down) or claimed by a worker that stopped."""
    now = timezone.now()
    stuck = RosterImport.objects.filter(phase__in=WORKING_ROSTER_PHASES).filter(
        Q(claimed_at__isnull=True, updated_at__lt=now - STALE_QUEUED)
        | Q(claimed_at__lt=now - STALE_RUNNING)
    )
    count = 0
    for upload in stuck:
        logger.warning("roster import %s was left unfinished; dispatching it again", upload.pk)
        _dispatch(upload, background=True)
        count += 1
    return count


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


def roster_imports_purge(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Uploads never imported hold personal data: their files and rows go after a while."""
    stale = RosterImport.objects.filter(updated_at__lt=timezone.now() - older_than).exclude(
        phase__in=WORKING_ROSTER_PHASES
    )
    count = 0
    for upload in stale:
        if upload.file:
            upload.file.delete(save=False)
        upload.delete()
        count += 1
    return count
