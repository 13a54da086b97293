"""What the inspection area puts on a user's desk: the supervisor's inspections still to do,
the enterprise's open findings, the bureau's answers to check and overdue rectifications."""

from portal.core.access import BUREAU_ROLES
from portal.core.models import Role
from supervision.inspections.selectors import assigned_inspections, finding_list_for_user
from supervision.models import FindingStatus, InspectionStatus

LIMIT = 20


def desk(*, user, membership, today) -> dict:
    role = membership.role if membership else None
    if role == Role.SUPERVISOR:
        planned = (
            assigned_inspections(user=user)
            .filter(status=InspectionStatus.PLANNED)
            .order_by("session__date", "draw_id", "position")
        )
        return {"inspection_planned": list(planned[:LIMIT])}
    if role == Role.ENTERPRISE:
        open_findings = (
            finding_list_for_user(user=user)
            .filter(status=FindingStatus.OPEN)
            .order_by("rectify_by", "pk")
        )
        return {"inspection_open_findings": list(open_findings[:LIMIT]), "inspection_today": today}
    if role in BUREAU_ROLES:
        findings = finding_list_for_user(user=user)
        return {
            "inspection_answered": list(
                findings.filter(status=FindingStatus.ANSWERED).order_by("responded_at", "pk")[
                    :LIMIT
                ]
            ),
            "inspection_overdue": list(
                findings.filter(status=FindingStatus.OPEN, rectify_by__lt=today).order_by(
                    "rectify_by", "pk"
                )[:LIMIT]
            ),
            "inspection_today": today,
        }
    return {}
