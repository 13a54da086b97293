"""Celery tasks of assessments: they take ids and call one service (STYLE.md).

Each is safe to run twice: an import claims its phase's work, and an import replaces the plan's
roster.
"""

from celery import shared_task

from assessments.rosters.services import (
    roster_import_check,
    roster_import_run,
    roster_imports_purge,
    roster_imports_resume,
)


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
    """Daily: drop roster uploads left on their preview for a week (they hold personal data)."""
    return roster_imports_purge()
