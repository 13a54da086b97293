"""What the annual-duty pages read (R-M3, R-M4): valid filings, last year's figures, the reports
of a year in a bureau's scope (with the enterprises that have not submitted)."""

import datetime as dt

from django.db.models import QuerySet

from assessments.models import AssessmentSession, ExamineeResult, PlanStatus, RosterEntry
from certificates.models import Certificate
from filings.models import Enterprise, Filing, FilingStatus
from portal.core.access import AREA_ROLES
from portal.core.models import Role
from portal.core.roles import enterprise_scope, membership_of
from supervision.annual.due import owes_report_since
from supervision.models import AnnualReport, AnnualReportStatus


def valid_filing(enterprise: Enterprise, today: dt.date) -> Filing | None:
    """The approved filing valid today (R-M4 concerns only filed enterprises)."""
    return (
        Filing.objects.filter(
            enterprise=enterprise,
            status=FilingStatus.APPROVED,
            approved_on__lte=today,
            valid_until__gte=today,
        )
        .order_by("-approved_on", "-pk")
        .first()
    )


def year_figures(enterprise: Enterprise, year: int) -> dict:
    """The portal's own count of the enterprise's assessment work in `year` (R-M4 summary)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    sessions = AssessmentSession.objects.filter(
        plan__enterprise=enterprise,
        plan__status=PlanStatus.ACKNOWLEDGED,
        date__gte=start,
        date__lte=end,
    )
    plan_ids = set(sessions.values_list("plan_id", flat=True))
    entries = RosterEntry.objects.filter(plan_id__in=plan_ids)
    return {
        "plans_acknowledged": enterprise.plans.filter(
            status=PlanStatus.ACKNOWLEDGED, acknowledged_on__gte=start, acknowledged_on__lte=end
        ).count(),
        "sessions_held": sessions.count(),
        "examinees": entries.count(),
        "passed": entries.filter(result=ExamineeResult.PASSED).count(),
        "certificates_issued": Certificate.objects.filter(
            enterprise=enterprise, issued_on__gte=start, issued_on__lte=end
        ).count(),
    }


def filed_in_scope(*, user, today: dt.date):
    """Enterprises in the user's scope that owe this year's report (R-M4): a filing valid today,
    approved before the year began."""
    scope = enterprise_scope(user, prefix="")
    if scope is None:
        return Enterprise.objects.none()
    valid = Filing.objects.filter(
        status=FilingStatus.APPROVED,
        approved_on__lt=owes_report_since(today.year),
        valid_until__gte=today,
    )
    return Enterprise.objects.filter(scope, filings__in=valid).distinct()


def report_rows(*, user, year: int, today: dt.date) -> list[dict]:
    """One row per filed enterprise in scope, and per report of the year (even of an enterprise
    no longer filed): the report or None, and whether it is overdue."""
    membership = membership_of(user)
    if membership is None or membership.role not in AREA_ROLES:
        return []
    reports = {
        r.enterprise_id: r
        for r in AnnualReport.objects.filter(enterprise_scope(user), year=year).select_related(
            "enterprise__district"
        )
    }
    enterprises = {
        e.pk: e for e in filed_in_scope(user=user, today=today).select_related("district")
    }
    for report in reports.values():
        enterprises.setdefault(report.enterprise_id, report.enterprise)
    from supervision.annual.due import dues_by_district

    dues = dues_by_district((e.district_id for e in enterprises.values()), year)
    rows = []
    for enterprise in sorted(enterprises.values(), key=lambda e: (e.name, e.pk)):
        report = reports.get(enterprise.pk)
        submitted = report is not None and report.status == AnnualReportStatus.SUBMITTED
        rows.append(
            {
                "enterprise": enterprise,
                "report": report,
                "submitted": submitted,
                "overdue": not submitted
                and today > (report.due_on if report else dues[enterprise.district_id]),
            }
        )
    return rows


def annual_report_list_for_user(*, user) -> QuerySet[AnnualReport]:
    scope = enterprise_scope(user)
    if scope is None:
        return AnnualReport.objects.none()
    reports = AnnualReport.objects.filter(scope).select_related("enterprise__district")
    if membership_of(user).role == Role.ENTERPRISE:
        return reports
    # Bureaus read only what the enterprise submitted; a draft is still the enterprise's.
    return reports.filter(status=AnnualReportStatus.SUBMITTED)


def evaluated_enterprises_for_user(*, user) -> QuerySet[Enterprise]:
    """The enterprises the user's city evaluates (R-M3): city staff only."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.CITY:
        return Enterprise.objects.none()
    return Enterprise.objects.filter(district__parent_id=membership.bureau_id).select_related(
        "district"
    )
