"""Random draws (双随机一公开, R-M1, R-C2): which targets are inspected, by which supervisors.

The draw itself (`draw_run`) is a pure function of its recorded inputs: the seed, the candidates
in order with their weights, the supervisor pool and the conflicts. `draw_create` gathers the
inputs from the database, records them on the Draw with a fresh random seed, runs the function
and stores its result; `draw_replay` runs it again from the record, so anyone holding the
published inputs can check that the published list is what the seed gives.

Targets are chosen by weighted sampling without replacement (Efraimidis–Spirakis: each
candidate gets the key u^(1/w) for a uniform u, the largest keys win). Enterprises not yet
inspected this calendar year weigh more as the year runs out, so every filed enterprise is
inspected at least once a year (R-M1) without making the draw predictable. Supervisors are
then given to each target in turn, the least loaded first, ties broken by the same random
stream, never one who works at the target or inspected it the last time (conflicts).
"""

import datetime as dt
import hashlib
import random
import secrets
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from assessments.models import AssessmentSession, PlanStatus
from filings.models import Enterprise, Filing, FilingStatus
from portal.core.audit import audit_record
from portal.core.errors import ServiceError
from portal.core.models import Role
from portal.core.roles import area_q
from supervision.models import (
    Draw,
    DrawKind,
    Inspection,
    InspectionAssignment,
    SupervisorProfile,
)

INSPECT_PERM = "supervision.inspect_inspection"
# An enterprise not inspected yet this year weighs 1 + UNINSPECTED_BOOST × (share of the year
# gone): twice as likely as an inspected one in February, ten times in December.
UNINSPECTED_BOOST = 9
SESSION_HORIZON_DAYS = 60


@dataclass
class DrawResult:
    # [(target id, [supervisor user id, …]), …] in the order drawn.
    picks: list[tuple[int, list[int]]] = field(default_factory=list)
    # [target id, …]: drawn, but too few supervisors were free of conflicts.
    skipped: list[int] = field(default_factory=list)


def _rng(seed: str) -> random.Random:
    # A string seed is hashed by random.Random with SHA-512 across Python versions (version 2
    # seeding); the digest here only makes the input explicit and independent of str hashing.
    return random.Random(int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big"))


def draw_run(
    *,
    seed: str,
    candidates: list[list],
    pool: list[int],
    conflicts: dict[str, list[int]],
    target_count: int,
    supervisors_per_target: int,
) -> DrawResult:
    """The whole draw from its inputs; the same inputs always give the same result."""
    rng = _rng(seed)
    keyed = []
    for target_id, weight in candidates:
        u = rng.random()
        # u in [0, 1): u ** (1/w) is largest for large u and large w.
        keyed.append((u ** (1.0 / float(weight)), target_id))
    order = [target_id for _key, target_id in sorted(keyed, key=lambda k: (-k[0], k[1]))]
    load = {user_id: 0 for user_id in pool}
    result = DrawResult()
    for target_id in order:
        if len(result.picks) == target_count:
            break
        barred = set(conflicts.get(str(target_id), []))
        free = [user_id for user_id in pool if user_id not in barred]
        tie = {user_id: rng.random() for user_id in free}
        free.sort(key=lambda user_id: (load[user_id], tie[user_id]))
        if len(free) < supervisors_per_target:
            result.skipped.append(target_id)
            continue
        chosen = sorted(free[:supervisors_per_target])
        for user_id in chosen:
            load[user_id] += 1
        result.picks.append((target_id, chosen))
    return result


def draw_replay(draw: Draw) -> DrawResult:
    return draw_run(
        seed=draw.seed,
        candidates=draw.candidates,
        pool=draw.pool,
        conflicts=draw.conflicts,
        target_count=draw.target_count,
        supervisors_per_target=draw.supervisors_per_target,
    )


def draw_matches_record(draw: Draw) -> bool:
    """Whether the stored inspections are exactly what the recorded seed and inputs give."""
    replay = draw_replay(draw)
    stored = [
        (
            _target_id(draw, inspection),
            sorted(a.supervisor_id for a in inspection.assignments.all()),
        )
        for inspection in draw.inspections.order_by("position").prefetch_related("assignments")
    ]
    return stored == [(t, s) for t, s in replay.picks] and replay.skipped == draw.skipped


def _target_id(draw: Draw, inspection: Inspection) -> int:
    return inspection.session_id if draw.kind == DrawKind.SESSIONS else inspection.enterprise_id


# ---------------------------------------------------------------------------------------------
# Inputs from the database


def filed_enterprises(*, city, today: dt.date, district=None):
    """Enterprises of the city (or of one of its districts) with a filing valid today (the
    population of R-M1)."""
    return filed_enterprises_in(district or city, today=today)


def filed_enterprises_in(area, *, today: dt.date):
    """Enterprises of the area (a district, a city or a province) with a filing valid today."""
    valid = Filing.objects.filter(
        status=FilingStatus.APPROVED, valid_until__gte=today, approved_on__lte=today
    )
    return Enterprise.objects.filter(area_q(area, "district"), filings__in=valid).distinct()


def inspected_this_year(*, city, year: int) -> set[int]:
    """Enterprises of the city drawn for an inspection in `year` (whatever its state), by the
    city's draws and its districts' alike (seed 000 §五: each at least once a year)."""
    return set(
        Inspection.objects.filter(draw__city=city, draw__year=year).values_list(
            "enterprise_id", flat=True
        )
    )


def _year_share(today: dt.date) -> float:
    start = dt.date(today.year, 1, 1)
    end = dt.date(today.year + 1, 1, 1)
    return (today - start).days / (end - start).days


def uninspected_weight(today: dt.date) -> float:
    """The weight of an enterprise not yet drawn this year (an inspected one weighs 1), R-M1."""
    return round(1 + UNINSPECTED_BOOST * _year_share(today), 3)


def enterprise_candidates(*, city, today: dt.date, district=None) -> list[list]:
    done = inspected_this_year(city=city, year=today.year)
    boost = uninspected_weight(today)
    filed = filed_enterprises(city=city, today=today, district=district)
    ids = sorted(filed.values_list("pk", flat=True))
    return [[pk, 1 if pk in done else boost] for pk in ids]


def upcoming_sessions(*, city, today: dt.date, district=None):
    sessions = AssessmentSession.objects.filter(
        plan__enterprise__district__parent=city,
        plan__status=PlanStatus.ACKNOWLEDGED,
        date__gte=today,
        date__lte=today + dt.timedelta(days=SESSION_HORIZON_DAYS),
    )
    if district is not None:
        sessions = sessions.filter(plan__enterprise__district=district)
    return sessions


def session_candidates(*, city, today: dt.date, district=None) -> tuple[list[list], dict[int, int]]:
    """Upcoming sessions, weighted like their enterprises; and session id → enterprise id."""
    done = inspected_this_year(city=city, year=today.year)
    boost = uninspected_weight(today)
    sessions = upcoming_sessions(city=city, today=today, district=district)
    rows = sorted(sessions.values_list("pk", "plan__enterprise"))
    enterprise_of = dict(rows)
    return [[pk, 1 if ent in done else boost] for pk, ent in rows], enterprise_of


def supervisor_pool(*, city) -> list[SupervisorProfile]:
    return list(
        SupervisorProfile.objects.filter(
            city=city, active=True, user__is_active=True, user__membership__role=Role.SUPERVISOR
        )
        .select_related("user__membership")
        .order_by("user_id")
    )


def _last_inspectors(enterprise_ids) -> dict[int, set[int]]:
    """enterprise id → the supervisors of its most recent inspection before this draw."""
    latest = dict(
        Inspection.objects.filter(enterprise_id__in=enterprise_ids)
        .values("enterprise_id")
        .annotate(last=Max("pk"))
        .values_list("enterprise_id", "last")
    )
    people: dict[int, set[int]] = {}
    for inspection_id, user_id in InspectionAssignment.objects.filter(
        inspection_id__in=latest.values()
    ).values_list("inspection_id", "supervisor_id"):
        people.setdefault(inspection_id, set()).add(user_id)
    return {ent: people.get(last, set()) for ent, last in latest.items()}


def conflicts_for(
    *, targets: dict[int, int], profiles: list[SupervisorProfile]
) -> tuple[dict[str, list[int]], list[dict]]:
    """target id → barred supervisors, and a note per bar (shown with the draw).

    `targets` maps each candidate target to its enterprise. A supervisor is barred from their
    own employer and from the enterprise whose last inspection they made.
    """
    last = _last_inspectors(set(targets.values()))
    barred: dict[str, list[int]] = {}
    notes = []
    for target_id, enterprise_id in sorted(targets.items()):
        for profile in profiles:
            reason = None
            if profile.employer_id == enterprise_id:
                reason = "employer"
            elif profile.user_id in last.get(enterprise_id, set()):
                reason = "inspected_last_time"
            if reason:
                barred.setdefault(str(target_id), []).append(profile.user_id)
                notes.append({"target": target_id, "supervisor": profile.user_id, "reason": reason})
    return barred, notes


# ---------------------------------------------------------------------------------------------
# The service


@transaction.atomic
def draw_create(
    *,
    city,
    actor,
    title: str,
    kind: str,
    target_count: int,
    supervisors_per_target: int,
    today: dt.date,
    seed: str | None = None,
    district=None,
) -> Draw:
    """R-M1, R-C2: draw targets and supervisors for the city and record how. With `district`
    (where the city delegates draws, seed 000 §五) the targets are that district's only; the
    supervisors still come from the city's pool."""
    profiles = supervisor_pool(city=city)
    if kind == DrawKind.SESSIONS:
        candidates, enterprise_of = session_candidates(city=city, today=today, district=district)
    else:
        candidates = enterprise_candidates(city=city, today=today, district=district)
        enterprise_of = {pk: pk for pk, _w in candidates}
    if not candidates:
        if kind == DrawKind.SESSIONS:
            message = _(
                "There is nothing to draw from: no acknowledged session in the next 60 days."
            )
        elif district is not None:
            message = _("There is nothing to draw from: no filed enterprise in the district.")
        else:
            message = _("There is nothing to draw from: no filed enterprise in the city.")
        raise ServiceError(message)
    if len(profiles) < supervisors_per_target:
        raise ServiceError(
            # R-C2
            _("The supervisor pool has %(n)s active supervisors; each target needs %(per)s.")
            % {"n": len(profiles), "per": supervisors_per_target}
        )
    conflicts, notes = conflicts_for(targets=enterprise_of, profiles=profiles)
    draw = Draw.objects.create(
        city=city,
        district=district,
        title=title,
        kind=kind,
        year=today.year,
        seed=seed or secrets.token_hex(16),
        target_count=target_count,
        supervisors_per_target=supervisors_per_target,
        candidates=candidates,
        pool=[p.user_id for p in profiles],
        conflicts=conflicts,
        conflict_notes=notes,
        drawn_by=actor,
    )
    result = draw_replay(draw)
    if not result.picks:
        raise ServiceError(
            # R-C2
            _("No target could be given %(per)s supervisors free of conflicts.")
            % {"per": supervisors_per_target}
        )
    draw.skipped = result.skipped
    draw.save(update_fields=["skipped"])
    for position, (target_id, supervisor_ids) in enumerate(result.picks, start=1):
        inspection = Inspection.objects.create(
            draw=draw,
            position=position,
            enterprise_id=enterprise_of[target_id],
            session_id=target_id if kind == DrawKind.SESSIONS else None,
        )
        for user_id in supervisor_ids:
            assignment = InspectionAssignment.objects.create(
                inspection=inspection, supervisor_id=user_id
            )
            assign_perm(INSPECT_PERM, assignment.supervisor, inspection)
    audit_record(
        obj=draw,
        actor=actor,
        action="draw_create",
        note=_("%(n)s targets drawn from %(m)s candidates, seed %(seed)s")
        % {"n": len(result.picks), "m": len(candidates), "seed": draw.seed},
    )
    return draw
