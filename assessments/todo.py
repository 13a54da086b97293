"""What waits for each role in the assessment stage, for the dashboard."""

from django.db.models import Exists, OuterRef

from assessments.models import (
    BatchStatus,
    PlanStatus,
    SchemeReview,
    SchemeStatus,
)
from assessments.result_services import result_batch_list_for_user
from assessments.selectors import plan_list_for_user, scheme_list_for_user
from portal.core.roles import membership_of

LIMIT = 20


def assessment_todo_for_user(*, user) -> dict:
    """Lists of schemes, plans and result batches waiting for this user's action."""
    membership = membership_of(user)
    if membership is None:
        return {}
    role = membership.role
    schemes = scheme_list_for_user(user=user)
    plans = plan_list_for_user(user=user)
    batches = result_batch_list_for_user(user=user)
    if role == "enterprise":
        return {
            "schemes": list(schemes.filter(status=SchemeStatus.RETURNED)[:LIMIT]),
            "plans": list(plans.filter(status=PlanStatus.RETURNED)[:LIMIT]),
            "batches": list(
                batches.filter(status__in=[BatchStatus.PUBLICISED, BatchStatus.RETURNED]).order_by(
                    "filing_due_on"
                )[:LIMIT]
            ),
        }
    if role == "city":
        return {
            "schemes": list(
                schemes.filter(
                    status__in=[SchemeStatus.SUBMITTED, SchemeStatus.EXPERT_REVIEW]
                ).order_by("submitted_at")[:LIMIT]
            ),
            "plans": list(
                plans.filter(status=PlanStatus.SUBMITTED).order_by("submitted_on")[:LIMIT]
            ),
            "batches": list(
                batches.filter(status=BatchStatus.SUBMITTED).order_by("submitted_on")[:LIMIT]
            ),
        }
    if role == "expert":
        pending = SchemeReview.objects.filter(
            scheme=OuterRef("pk"), expert=user, submitted_at__isnull=True
        )
        return {
            "schemes": list(
                schemes.filter(Exists(pending), status=SchemeStatus.EXPERT_REVIEW)[:LIMIT]
            )
        }
    return {}
