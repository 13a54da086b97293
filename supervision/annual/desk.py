"""What the annual duties put on a desk: the enterprise's report of the year (R-M4); for the city,
reports missing after the due date and last year's evaluations still to decide (R-M3)."""

from portal.core.models import Role
from supervision.annual.due import due_at, due_on_for
from supervision.annual.scorecard import evaluable_enterprises
from supervision.annual.selectors import filed_in_scope, valid_filing
from supervision.models import AnnualReport, AnnualReportStatus, Evaluation


def desk(*, user, membership, today) -> dict:
    year = today.year
    if membership.role == Role.ENTERPRISE and membership.enterprise_id:
        if valid_filing(membership.enterprise, today) is None:
            return {}
        report = AnnualReport.objects.filter(
            enterprise_id=membership.enterprise_id, year=year
        ).first()
        if report and report.status == AnnualReportStatus.SUBMITTED:
            return {}
        due_on = report.due_on if report else due_on_for(membership.enterprise, year)
        return {
            "annual_report_todo": {
                "year": year,
                "draft": report is not None,
                "due_on": due_on,
                "overdue": today > due_on,
            }
        }
    if membership.role == Role.CITY:
        due_on = due_at(membership.bureau, year)
        missing = None
        if today > due_on:
            filed = filed_in_scope(user=user, today=today)
            submitted = AnnualReport.objects.filter(
                year=year, status=AnnualReportStatus.SUBMITTED, enterprise__in=filed
            ).count()
            missing = filed.count() - submitted
        evaluable = evaluable_enterprises(city=membership.bureau, year=year - 1)
        decided = Evaluation.objects.filter(year=year - 1, enterprise__in=evaluable).count()
        return {
            "annual_city": {
                "year": year,
                "due_on": due_on,
                "missing": missing,
                "evaluation_year": year - 1,
                "evaluations_open": evaluable.count() - decided,
            }
        }
    return {}
