"""Reads of the draw area, scoped (STYLE.md rule 3): a city's staff see the city's draws (its
districts' too), pool and coverage; a district's staff the district's part of the coverage, and
the district's own draws where the city delegates draws to it (seed 000 §五); a province's staff
its cities' coverage; the public only what was published (R-M1 一公开)."""

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from assessments.models import AssessmentSession
from filings.models import Enterprise
from portal.core.access import AREA_ROLES, require_role
from portal.core.models import Bureau, BureauLevel, Role
from portal.core.policy import effective_policy
from portal.core.roles import membership_of
from supervision.draws.algorithm import filed_enterprises, filed_enterprises_in
from supervision.models import Draw, DrawKind, Inspection, SupervisorProfile

User = get_user_model()


def staff_city(user):
    """The city bureau whose draws the user runs (city staff only), or None."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.CITY:
        return None
    return membership.bureau


def require_city_staff(user):
    city = staff_city(user)
    if city is None:
        raise Http404
    return city


def district_draws(district_id: int) -> bool:
    """Whether the district's city (or the level above) delegates random draws to it. One query
    (the navigation asks on every page): the district, its city and province with their policy
    rows at once."""
    levels = {
        bureau.pk: bureau
        for bureau in Bureau.objects.filter(
            Q(pk=district_id) | Q(children=district_id) | Q(children__children=district_id)
        )
        .select_related("policy")
        .distinct()
    }
    for bureau in levels.values():
        if bureau.parent_id is not None:
            bureau.parent = levels[bureau.parent_id]
    rows = {pk: bureau.policy for pk, bureau in levels.items() if hasattr(bureau, "policy")}
    return "random_draws" in effective_policy(levels[district_id], rows).powers


def draw_scope(user):
    """(city, district or None) whose draws the user runs: city staff their city's, district staff
    their district's where draws are delegated to it (seed 000 §五); None for anyone else."""
    membership = membership_of(user)
    if membership is None or membership.bureau_id is None:
        return None
    if membership.role == Role.CITY:
        return membership.bureau, None
    if membership.role == Role.DISTRICT and district_draws(membership.bureau_id):
        return membership.bureau.parent, membership.bureau
    return None


def require_draw_scope(user):
    scope = draw_scope(user)
    if scope is None:
        raise Http404
    return scope


def draw_list_for_user(*, user) -> QuerySet[Draw]:
    scope = draw_scope(user)
    if scope is None:
        return Draw.objects.none()
    city, district = scope
    draws = Draw.objects.filter(city=city)
    if district is not None:
        draws = draws.filter(district=district)
    return draws.select_related("drawn_by__membership", "district").annotate(
        inspection_count=Count("inspections")
    )


def pool_for_city(*, city, year: int) -> QuerySet[SupervisorProfile]:
    return (
        SupervisorProfile.objects.filter(city=city)
        .select_related("user__membership__bureau", "employer")
        .annotate(
            inspections_this_year=Count(
                "user__inspection_assignments",
                filter=Q(user__inspection_assignments__inspection__draw__year=year),
            )
        )
        .order_by("-active", "user__membership__full_name", "user__username")
    )


def profile_list_for_user(*, user) -> QuerySet[SupervisorProfile]:
    city = staff_city(user)
    if city is None:
        return SupervisorProfile.objects.none()
    return SupervisorProfile.objects.filter(city=city).select_related(
        "user__membership", "employer"
    )


def next_title(*, city, today: dt.date, district=None) -> str:
    """The default title: the next batch of the year, e.g. 2026年第3批双随机抽查 (a district's
    batches are counted and named apart: 坪山区2026年第1批双随机抽查)."""
    n = Draw.objects.filter(city=city, district=district, year=today.year).count() + 1
    prefix = district.area_name if district is not None else ""
    return f"{prefix}{today.year}年第{n}批双随机抽查"


# ---------------------------------------------------------------------------------------------
# What a draw's record refers to, in words


def person_names(user_ids) -> dict[int, str]:
    users = User.objects.filter(pk__in=set(user_ids)).select_related("membership")
    names = {}
    for user in users:
        membership = getattr(user, "membership", None)
        names[user.pk] = (membership.full_name if membership else "") or user.get_username()
    return names


def target_labels(draw: Draw) -> dict[int, str]:
    """target id → what it is: the enterprise's name, or the enterprise and the session's date."""
    ids = {int(target_id) for target_id, _weight in draw.candidates}
    if draw.kind == DrawKind.SESSIONS:
        sessions = AssessmentSession.objects.filter(pk__in=ids).select_related("plan__enterprise")
        return {s.pk: f"{s.plan.enterprise.name} · {s.date:%Y-%m-%d} {s.site}" for s in sessions}
    return dict(Enterprise.objects.filter(pk__in=ids).values_list("pk", "name"))


def draw_inspections(draw: Draw) -> list[Inspection]:
    return list(
        draw.inspections.select_related("enterprise__district", "session")
        .prefetch_related("assignments__supervisor__membership")
        .order_by("position")
    )


# ---------------------------------------------------------------------------------------------
# Coverage (R-M1: every filed enterprise inspected at least once a year)


@dataclass
class CoverageRow:
    enterprise: Enterprise
    inspections: list[Inspection] = field(default_factory=list)

    @property
    def inspected(self) -> bool:
        return bool(self.inspections)


def coverage_scope(user):
    """The area (a district, a city or a province) whose coverage the user may see; 404 for
    anyone else. A province reads its cities' coverage; the cities run the draws."""
    membership = require_role(user, AREA_ROLES)
    if membership.bureau is None:
        raise Http404
    return membership.bureau


def coverage_day(year: int, today: dt.date) -> dt.date:
    """The day whose filed enterprises count: today for this year, 31 December for past ones."""
    return today if year >= today.year else dt.date(year, 12, 31)


def coverage_rows(*, area, year: int, today: dt.date) -> list[CoverageRow]:
    """Filed enterprises of the area, the not yet inspected first."""
    enterprises = filed_enterprises_in(area, today=coverage_day(year, today))
    rows = {
        e.pk: CoverageRow(enterprise=e)
        for e in Enterprise.objects.filter(pk__in=enterprises.values("pk"))
        .select_related("district__parent")
        .order_by("name", "pk")
    }
    inspections = (
        Inspection.objects.filter(draw__year=year, enterprise_id__in=rows)
        .select_related("draw", "session")
        .order_by("draw__drawn_at", "draw_id", "position")
    )
    for inspection in inspections:
        rows[inspection.enterprise_id].inspections.append(inspection)
    return sorted(rows.values(), key=lambda r: (r.inspected, r.enterprise.name, r.enterprise.pk))


def coverage_years(*, area, today: dt.date) -> list[int]:
    if area.level == BureauLevel.PROVINCE:
        draws = Draw.objects.filter(city__parent=area)
    else:
        draws = Draw.objects.filter(city=area.city)
    years = set(draws.values_list("year", flat=True)) | {today.year}
    return sorted((y for y in years if y <= today.year), reverse=True)


def coverage_counts(*, city, today: dt.date, district=None) -> tuple[int, int]:
    """(not yet inspected this year, filed) for the city or one of its districts (the city's
    draws and the district's both count): two queries, for the desk."""
    filed = filed_enterprises(city=city, today=today, district=district)
    total = filed.count()
    done = (
        filed.filter(inspections__draw__city=city, inspections__draw__year=today.year)
        .distinct()
        .count()
    )
    return total - done, total


# ---------------------------------------------------------------------------------------------
# The public side (一公开)


def published_draws() -> QuerySet[Draw]:
    return (
        Draw.objects.filter(published_on__isnull=False)
        .select_related("city", "district")
        .annotate(inspection_count=Count("inspections"))
        .order_by("-published_on", "-pk")
    )


def published_draw(draw_id: int) -> Draw:
    try:
        return published_draws().get(pk=draw_id)
    except Draw.DoesNotExist:
        raise Http404 from None
