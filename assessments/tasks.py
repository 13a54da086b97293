"""Celery tasks of assessments: they take ids and call one service (STYLE.md).

Both are safe to run twice: a job records its phase, and an import replaces the plan's roster.
"""

from celery import shared_task

from assessments.rosters.services import roster_job_check, roster_job_run_import, roster_jobs_purge


@shared_task(acks_late=True)
def check_roster(job_id: int) -> None:
    """R-P5: check an uploaded roster for its preview, reporting progress on the job."""
    roster_job_check(job_id=job_id)


@shared_task(acks_late=True)
def import_roster(job_id: int) -> None:
    """R-P5: import a checked roster into its plan, reporting progress on the job."""
    roster_job_run_import(job_id=job_id)


@shared_task
def purge_roster_jobs() -> int:
    """Daily: drop roster uploads left on their preview for a week (they hold personal data)."""
    return roster_jobs_purge()
