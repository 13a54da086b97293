"""Annual report services (R-M4): the enterprise saves a draft and submits it once; at submit the
portal's figures of last year are snapshotted beside what the enterprise wrote."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings.models import Enterprise
from portal.core.audit import audit_record
from portal.core.errors import ServiceError, StaleEdit
from portal.core.workflow import bump, locked
from supervision.annual.due import due_on_for
from supervision.annual.selectors import valid_filing, year_figures
from supervision.models import (
    AnnualReport,
    AnnualReportStatus,
)

REPORT_FIELDS = ["summary", "plan", "planned_examinees"]


# How the audit trail names this area's actions (registered by SupervisionConfig.ready).
AUDIT_ACTIONS = {
    "annual_save": gettext_lazy("annual report saved as a draft"),
    "annual_submit": gettext_lazy("annual report submitted"),
    "evaluation_decide": gettext_lazy("yearly evaluation decided"),
    "sanction_impose": gettext_lazy("sanction imposed"),
    # R-M3
    "sanction_remove": gettext_lazy("removed from the directory"),
    # R-M2
    "sanction_cancel": gettext_lazy("filing cancelled"),
}


def annual_report_current(enterprise: Enterprise, year: int) -> AnnualReport | None:
    return AnnualReport.objects.filter(enterprise=enterprise, year=year).first()


def submit_problems(data: dict) -> list[str]:
    problems = []
    if not (data.get("summary") or "").strip():
        # R-M4
        problems.append(_("Summary of last year's work: it is required to submit."))
    if not (data.get("plan") or "").strip():
        # R-M4
        problems.append(_("This year's assessment plan: it is required to submit."))
    if data.get("planned_examinees") in (None, ""):
        # R-M4
        problems.append(_("Examinees planned: it is required to submit."))
    return problems


@transaction.atomic
def annual_report_save(
    *,
    enterprise: Enterprise,
    actor,
    year: int,
    data: dict,
    expected_version: int | None,
    submit: bool,
    today: dt.date,
) -> AnnualReport:
    """R-M4: save the year's report as a draft, or submit it (then it is final)."""
    # Lock the enterprise so two first saves cannot both create the year's report.
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if valid_filing(enterprise, today) is None:
        # R-M4
        raise ServiceError(_("Only an enterprise with a valid filing reports its year."))
    report = AnnualReport.objects.filter(enterprise=enterprise, year=year).first()
    if report is None:
        if expected_version not in (None, 0):
            raise StaleEdit()
        report = AnnualReport(enterprise=enterprise, year=year, due_on=due_on_for(enterprise, year))
    else:
        report = locked(
            report,
            statuses=[AnnualReportStatus.DRAFT],
            expected_version=expected_version or 0,
            refusal=_("The annual report of %(year)s was already submitted; it cannot be changed.")
            % {"year": year},
        )
    if submit:
        problems = submit_problems(data)
        if problems:
            raise ServiceError(_("The annual report cannot be submitted yet."), problems)
    for field in REPORT_FIELDS:
        setattr(report, field, data.get(field))
    report.summary = (report.summary or "").strip()
    report.plan = (report.plan or "").strip()
    from_status = report.status
    if submit:
        report.status = AnnualReportStatus.SUBMITTED
        # Last year's figures as counted now: what the bureau compares the summary with.
        report.figures = {"year": year - 1, **year_figures(enterprise, year - 1)}
        report.submitted_at = timezone.now()
        report.submitted_by = actor
    if report.pk is None:
        report.save()
    else:
        bump(report, [*REPORT_FIELDS, "status", "figures", "submitted_at", "submitted_by"])
    audit_record(
        obj=report,
        actor=actor,
        action="annual_submit" if submit else "annual_save",
        from_status=from_status if submit else "",
        to_status=report.status if submit else "",
    )
    return report
