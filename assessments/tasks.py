"""Celery tasks of assessments: they take ids and call one service (STYLE.md).

Each is safe to run twice: an import claims its phase's work, and an import replaces the plan's
roster.
"""

from celery import shared_task

from assessments.rosters.services import (
    roster_import_check,
    roster_import_run,
    roster_imports_resume,
)
from portal.core.retention import apply_retention


@shared_task(acks_late=True)
def check_roster(job_id: int) -> None:
    """R-P5: check an uploaded roster for its preview, reporting progress on the import."""
    roster_import_check(roster_import_id=job_id)


@shared_task(acks_late=True)
def import_roster(job_id: int) -> None:
    """R-P5: import a checked roster into its plan, reporting progress on the import."""
    roster_import_run(roster_import_id=job_id)


@shared_task
def resume_roster_imports() -> int:
    """Beat: dispatch again the imports no worker finished (never picked up, or its worker
    stopped)."""
    return roster_imports_resume()


@shared_task
def purge_roster_jobs() -> int:
    """Roster uploads never imported hold personal data: dropped after their retention period
    (also part of beat's daily apply-retention)."""
    return apply_retention(kinds=["roster_uploads"])["roster_uploads"]
