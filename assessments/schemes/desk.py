"""What the scheme area contributes to the desks."""

from django.db.models import Exists, OuterRef

from assessments.models import SchemeReview, SchemeStatus
from assessments.schemes.selectors import scheme_list_for_user
from portal.core.models import Role

LIMIT = 20


def scheme_todo_for_user(*, user, membership) -> list | None:
    """Schemes waiting for this user's action; None where the role has no such list."""
    schemes = scheme_list_for_user(user=user)
    if membership.role == Role.ENTERPRISE:
        return list(schemes.filter(status=SchemeStatus.RETURNED)[:LIMIT])
    if membership.role == Role.CITY:
        waiting = schemes.filter(status__in=[SchemeStatus.SUBMITTED, SchemeStatus.EXPERT_REVIEW])
        return list(waiting.order_by("submitted_at")[:LIMIT])
    if membership.role == Role.EXPERT:
        pending = SchemeReview.objects.filter(
            scheme=OuterRef("pk"), expert=user, submitted_at__isnull=True
        )
        return list(schemes.filter(Exists(pending), status=SchemeStatus.EXPERT_REVIEW)[:LIMIT])
    return None
