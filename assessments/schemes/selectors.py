"""Reads of evaluation schemes, scoped like filings (STYLE.md rule 3).

enterprise → its own; district → its district's enterprises; city → its city's; expert → the
schemes a django-guardian delegation names. Drafts stay with their enterprise.
"""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone
from guardian.shortcuts import get_objects_for_user

from assessments.models import OPEN_SCHEME_STATUSES, EvaluationScheme, SchemeStatus
from filings.models import Enterprise, FilingScopeLine, FilingStatus
from portal.core.models import Role
from portal.core.roles import enterprise_scope, membership_of


def scheme_list_for_user(*, user) -> QuerySet[EvaluationScheme]:
    schemes = EvaluationScheme.objects.select_related(
        "enterprise", "enterprise__district", "scope_line__occupation", "scope_line__work_type"
    )
    membership = membership_of(user)
    if membership is not None and membership.role == Role.EXPERT:
        assigned = get_objects_for_user(
            user, "assessments.evaluate_scheme", klass=EvaluationScheme, accept_global_perms=False
        )
        return schemes.filter(pk__in=assigned.values("pk")).exclude(status=SchemeStatus.DRAFT)
    scope = enterprise_scope(user)
    if scope is None:
        return schemes.none()
    if membership.role != Role.ENTERPRISE:
        scope &= ~Q(status=SchemeStatus.DRAFT)
    return schemes.filter(scope)


def _today() -> dt.date:
    return timezone.localdate()


def filed_lines_for(*, enterprise: Enterprise, today: dt.date | None = None):
    """R-P4: the scope lines of the enterprise's approved filings still valid today."""
    today = today or _today()
    return FilingScopeLine.objects.filter(
        filing__enterprise=enterprise,
        filing__status=FilingStatus.APPROVED,
        filing__valid_until__gte=today,
    ).select_related("filing", "occupation", "work_type")


def lines_without_scheme(*, enterprise: Enterprise, today: dt.date | None = None):
    """Filed occupations that have no scheme yet, approved or in the making."""
    current = [SchemeStatus.APPROVED, *OPEN_SCHEME_STATUSES]
    return filed_lines_for(enterprise=enterprise, today=today).exclude(schemes__status__in=current)


def approved_scheme_for(
    scope_line: FilingScopeLine, *, today: dt.date | None = None
) -> EvaluationScheme | None:
    """The scheme a plan may use for this filed occupation: approved (R-S5) and inside a filing
    still approved and valid (R-P4). None when there is none."""
    today = today or _today()
    filing = scope_line.filing
    if filing.status != FilingStatus.APPROVED or filing.valid_until < today:
        return None
    return (
        EvaluationScheme.objects.filter(scope_line=scope_line, status=SchemeStatus.APPROVED)
        .select_related("scope_line__occupation", "scope_line__work_type")
        .first()
    )


def approved_schemes_for(*, enterprise: Enterprise, today: dt.date | None = None) -> QuerySet:
    """Every scheme the enterprise's plans may use today (R-S5, R-P4)."""
    today = today or _today()
    return EvaluationScheme.objects.filter(
        enterprise=enterprise,
        status=SchemeStatus.APPROVED,
        scope_line__filing__status=FilingStatus.APPROVED,
        scope_line__filing__valid_until__gte=today,
    ).select_related("scope_line__occupation", "scope_line__work_type")


def approved_scheme_occupations(enterprises) -> dict[int, list[str]]:
    """Seed 001 §六(二): per enterprise, the occupations (work types) and levels whose evaluation
    scheme is approved, on a filing still in the public directory."""
    from filings.levels import level_range_display

    schemes = (
        EvaluationScheme.objects.filter(
            enterprise__in=[enterprise.pk for enterprise in enterprises],
            status=SchemeStatus.APPROVED,
            scope_line__filing__status=FilingStatus.APPROVED,
            scope_line__filing__valid_until__gte=_today(),
        )
        .select_related("scope_line__occupation", "scope_line__work_type")
        .order_by("scope_line__occupation__code", "pk")
    )
    found: dict[int, list[str]] = {}
    for scheme in schemes:
        line = scheme.scope_line
        text = f"{line.occupation.code} {line.occupation.name}"
        if line.work_type:
            text += f"（{line.work_type.name}）"
        levels = [level for level in scheme.levels if str(level).isdigit()]
        text += f"：{level_range_display(levels or line.levels)}"
        found.setdefault(scheme.enterprise_id, []).append(text)
    return found
