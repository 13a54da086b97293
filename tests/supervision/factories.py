"""Shared builders for the supervision tests: supervisors in a city's pool, and an inspection of
one enterprise with its supervisors delegated (as a draw would make it, without the randomness)."""

import datetime as dt

from guardian.shortcuts import assign_perm

from supervision.draws.algorithm import INSPECT_PERM
from supervision.models import Draw, Inspection, InspectionAssignment, SupervisorProfile
from tests.support.factories import make_member


def supervisor_profile(user, *, city, employer=None, active=True) -> SupervisorProfile:
    profile, _created = SupervisorProfile.objects.update_or_create(
        user=user, defaults={"city": city, "employer": employer, "active": active}
    )
    return profile


def supervisors_in_pool(city, n: int, prefix: str = "s") -> list:
    """`n` supervisors of `city`'s pool, named <prefix>0, <prefix>1, …"""
    users = []
    for i in range(n):
        user = make_member(f"{prefix}{i}", "supervisor", bureau=city)
        supervisor_profile(user, city=city)
        users.append(user)
    return users


def inspection_of(
    enterprise, *, supervisors, actor, session=None, year: int = 2026, draw: Draw | None = None
) -> Inspection:
    """An inspection of `enterprise` (or of one of its sessions) assigned to `supervisors`."""
    city = enterprise.district.parent
    if draw is None:
        draw = Draw.objects.create(
            city=city,
            title=f"{year}年第一批双随机抽查",
            kind="sessions" if session else "enterprises",
            year=year,
            seed="0" * 32,
            target_count=1,
            supervisors_per_target=len(supervisors),
            candidates=[[session.pk if session else enterprise.pk, 1]],
            pool=[u.pk for u in supervisors],
            drawn_by=actor,
        )
    position = draw.inspections.count() + 1
    inspection = Inspection.objects.create(
        draw=draw, position=position, enterprise=enterprise, session=session
    )
    for user in supervisors:
        InspectionAssignment.objects.create(inspection=inspection, supervisor=user)
        assign_perm(INSPECT_PERM, user, inspection)
    return inspection


TODAY = dt.date(2026, 11, 2)
