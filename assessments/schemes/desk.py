"""What the scheme area contributes to the desks."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from assessments.models import SchemeReview, SchemeStatus
from assessments.schemes.selectors import scheme_list_for_user
from portal.core.models import Role

LIMIT = 20
# What the enterprise does next with a scheme in each status, the most urgent first.
NEXT_STEP = {
    SchemeStatus.RETURNED: _("Correct it as the city asked and submit it again"),
    SchemeStatus.DRAFT: _("Complete it and submit it to the city"),
}
WAITING = {
    SchemeStatus.SUBMITTED: _("Waiting for the city's review"),
    SchemeStatus.EXPERT_REVIEW: _("Waiting for the experts' evaluation"),
}


def _enterprise_work(schemes) -> list:
    rows = sorted(schemes[:LIMIT], key=lambda s: list(NEXT_STEP | WAITING).index(s.status))
    for scheme in rows:
        scheme.next_step = NEXT_STEP.get(scheme.status, "")
        scheme.waiting_for = WAITING.get(scheme.status, "")
    return rows


def scheme_todo_for_user(*, user, membership) -> list | None:
    """Schemes waiting for this user's action; None where the role has no such list."""
    schemes = scheme_list_for_user(user=user)
    if membership.role == Role.ENTERPRISE:
        return _enterprise_work(schemes.filter(status__in=[*NEXT_STEP, *WAITING]))
    if membership.role == Role.CITY:
        waiting = schemes.filter(status__in=[SchemeStatus.SUBMITTED, SchemeStatus.EXPERT_REVIEW])
        return list(waiting.order_by("submitted_at")[:LIMIT])
    if membership.role == Role.EXPERT:
        pending = SchemeReview.objects.filter(
            scheme=OuterRef("pk"), expert=user, submitted_at__isnull=True
        )
        return list(schemes.filter(Exists(pending), status=SchemeStatus.EXPERT_REVIEW)[:LIMIT])
    return None
