"""What the reports of a sanction put on a desk (seed 004 §四(四)): the province's reports to
decide; the city's reports still waiting for the province."""

from supervision.models import ReportStatus
from supervision.sanctions.selectors import reports_page_for, sanction_report_list_for_user

LIMIT = 20


def desk(*, user, membership, today) -> dict:
    # A city whose province does not decide its sanctions has no reports page to link to.
    if not reports_page_for(membership):
        return {}
    pending = sanction_report_list_for_user(user=user).filter(status=ReportStatus.PENDING)
    rows = list(pending.order_by("reported_on", "pk")[:LIMIT])
    if not rows:
        return {}
    return {"sanction_reports": {"rows": rows, "to_decide": membership.is_province}}
