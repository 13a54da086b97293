"""The draw itself (R-M1 双随机, R-C2): reproducible from its record, free of conflicts,
favouring the enterprises not yet inspected as the year runs out, delegating each inspection to
its supervisors only."""

import datetime as dt

import pytest

from portal.core.errors import ServiceError
from supervision.draws.algorithm import (
    INSPECT_PERM,
    conflicts_for,
    draw_create,
    draw_matches_record,
    draw_replay,
    draw_run,
    enterprise_candidates,
    supervisor_pool,
)
from supervision.models import Draw, InspectionAssignment
from tests.assessments.scores.factories import acknowledged_plan_with_roster
from tests.supervision.draws.matrix_draw import filed_enterprise
from tests.supervision.factories import inspection_of, supervisor_profile, supervisors_in_pool
from tests.support.factories import make_member

TODAY = dt.date(2026, 11, 2)


@pytest.fixture
def city(world):
    return world["city"]


@pytest.fixture
def staff(world):
    return make_member("carl", "city", bureau=world["city"], is_admin=True)


def _inputs(city, today):
    """The inputs draw_create would record for an enterprise draw today."""
    profiles = supervisor_pool(city=city)
    candidates = enterprise_candidates(city=city, today=today)
    conflicts, _notes = conflicts_for(targets={pk: pk for pk, _w in candidates}, profiles=profiles)
    return {
        "candidates": candidates,
        "pool": [p.user_id for p in profiles],
        "conflicts": conflicts,
    }


def _make(city, staff, **fields):
    values = {
        "title": "2026年第1批双随机抽查",
        "kind": "enterprises",
        "target_count": 3,
        "supervisors_per_target": 2,
        "today": TODAY,
    }
    values.update(fields)
    return draw_create(city=city, actor=staff, **values)


def test_r_m1_same_seed_and_inputs_give_the_same_targets_and_supervisors(world, city, staff):
    for i in range(6):
        filed_enterprise(world["nanshan" if i % 2 else "futian"])
    supervisors_in_pool(city, 4)
    # The inputs as they are before the draw: afterwards its targets count as inspected.
    inputs = _inputs(city, TODAY)
    draw = _make(city, staff, seed="fixed-seed")
    assert [draw.candidates, draw.pool, draw.conflicts] == [
        inputs["candidates"],
        inputs["pool"],
        inputs["conflicts"],
    ]
    stored = [
        (i.enterprise_id, sorted(a.supervisor_id for a in i.assignments.all()))
        for i in draw.inspections.order_by("position")
    ]
    assert len(stored) == 3
    assert [(t, s) for t, s in draw_replay(draw).picks] == stored
    again = draw_run(seed="fixed-seed", target_count=3, supervisors_per_target=2, **inputs)
    assert again.picks == draw_replay(draw).picks
    # Other seeds draw otherwise (else the comparison above could not fail).
    others = [
        draw_run(seed=f"x{n}", target_count=3, supervisors_per_target=2, **inputs) for n in range(5)
    ]
    assert any(result.picks != again.picks for result in others)


def test_r_m1_the_record_matches_until_someone_changes_a_stored_assignment(world, city, staff):
    for _i in range(5):
        filed_enterprise(world["nanshan"])
    people = supervisors_in_pool(city, 4)
    draw = _make(city, staff)
    assert draw_matches_record(draw) is True
    assignment = InspectionAssignment.objects.filter(inspection__draw=draw).first()
    others = [
        u
        for u in people
        if u.pk not in draw.inspections.first().assignments.values_list("supervisor_id", flat=True)
    ]
    assignment.inspection.assignments.filter(pk=assignment.pk).update(supervisor=others[0])
    assert draw_matches_record(Draw.objects.get(pk=draw.pk)) is False


def test_r_c2_a_supervisor_never_inspects_their_employer_nor_what_they_inspected_last(
    world, city, staff
):
    a = filed_enterprise(world["nanshan"])
    b = filed_enterprise(world["futian"])
    c = filed_enterprise(world["futian"])
    works_at_a, inspected_a, free1, free2 = supervisors_in_pool(city, 4)
    supervisor_profile(works_at_a, city=city, employer=a)
    inspection_of(a, supervisors=[inspected_a], actor=staff, year=2025)
    inputs = _inputs(city, TODAY)
    assert sorted(inputs["conflicts"][str(a.pk)]) == sorted([works_at_a.pk, inspected_a.pk])
    times_a = 0
    for n in range(200):
        result = draw_run(seed=f"c{n}", target_count=2, supervisors_per_target=2, **inputs)
        for target, people in result.picks:
            if target == a.pk:
                times_a += 1
                assert people == sorted([free1.pk, free2.pk])
    # A was drawn often enough that a broken conflict rule would have shown.
    assert times_a > 50
    assert {b.pk, c.pk}  # the other candidates exist


def test_r_c2_the_draw_records_who_was_excluded_and_why(world, city, staff):
    a = filed_enterprise(world["nanshan"])
    filed_enterprise(world["futian"])
    works_at_a, inspected_a, *_rest = supervisors_in_pool(city, 4)
    supervisor_profile(works_at_a, city=city, employer=a)
    inspection_of(a, supervisors=[inspected_a], actor=staff, year=2025)
    draw = _make(city, staff, target_count=2)
    notes = {(n["target"], n["supervisor"], n["reason"]) for n in draw.conflict_notes}
    assert notes == {
        (a.pk, works_at_a.pk, "employer"),
        (a.pk, inspected_a.pk, "inspected_last_time"),
    }
    for inspection in draw.inspections.filter(enterprise=a):
        ids = set(inspection.assignments.values_list("supervisor_id", flat=True))
        assert not ids & {works_at_a.pk, inspected_a.pk}


def test_r_m1_uninspected_enterprises_are_favoured_late_in_the_year(world, city, staff):
    inspected = filed_enterprise(world["nanshan"])
    missing = filed_enterprise(world["futian"])
    outsider = make_member("outsider", "supervisor", bureau=city)
    inspection_of(inspected, supervisors=[outsider], actor=staff, year=2026)
    supervisors_in_pool(city, 2)

    def wins(today):
        inputs = _inputs(city, today)
        counts = {inspected.pk: 0, missing.pk: 0}
        for n in range(300):
            result = draw_run(seed=f"w{n}", target_count=1, supervisors_per_target=1, **inputs)
            counts[result.picks[0][0]] += 1
        return counts

    december = wins(dt.date(2026, 12, 15))
    january = wins(dt.date(2026, 1, 10))
    # Weights about 9.6 : 1 in December, 1.2 : 1 in early January.
    assert december[missing.pk] > 5 * december[inspected.pk]
    assert january[missing.pk] < 2 * january[inspected.pk]
    assert december[missing.pk] > january[missing.pk]


def test_r_c2_targets_without_enough_conflict_free_supervisors_are_skipped(world, city, staff):
    a = filed_enterprise(world["nanshan"])
    b = filed_enterprise(world["futian"])
    works_at_a, other = supervisors_in_pool(city, 2)
    supervisor_profile(works_at_a, city=city, employer=a)
    draw = _make(city, staff, target_count=2, supervisors_per_target=2)
    assert draw.skipped == [a.pk]
    assert list(draw.inspections.values_list("enterprise_id", flat=True)) == [b.pk]
    assert draw_matches_record(draw)


def test_r_c2_a_draw_is_refused_with_an_empty_pool_or_no_candidates(world, city, staff):
    filed_enterprise(world["nanshan"])
    with pytest.raises(ServiceError) as refused:
        _make(city, staff)
    assert "督导员名录中在册的督导员有0名" in str(refused.value.message)
    supervisors_in_pool(city, 2)
    with pytest.raises(ServiceError) as nothing:
        _make(world["other_city"], staff)
    assert "本市没有已备案的企业" in str(nothing.value.message)
    assert Draw.objects.count() == 0


def test_r_c2_a_session_draw_takes_acknowledged_sessions_of_the_next_60_days(world, city, staff):
    import datetime as _dt

    from assessments.models import AssessmentSession

    ent = filed_enterprise(world["nanshan"])
    plan = acknowledged_plan_with_roster(ent, size=0)
    submitted = acknowledged_plan_with_roster(
        filed_enterprise(world["futian"]), size=0, status="submitted"
    )
    foreign = acknowledged_plan_with_roster(filed_enterprise(world["shunde"]), size=0)

    def session(p, days):
        return AssessmentSession.objects.create(
            plan=p,
            date=TODAY + _dt.timedelta(days=days),
            starts_at=_dt.time(9),
            ends_at=_dt.time(11),
            site="实训楼",
        )

    soon = session(plan, 10)
    session(plan, 61)
    session(plan, -1)
    session(submitted, 5)
    session(foreign, 5)
    supervisors_in_pool(city, 2)
    draw = _make(city, staff, kind="sessions", target_count=3)
    assert draw.candidates == [[soon.pk, draw.candidates[0][1]]]
    inspection = draw.inspections.get()
    assert (inspection.session_id, inspection.enterprise_id) == (soon.pk, ent.pk)
    assert draw_matches_record(draw)


def test_r_c2_assigned_supervisors_get_the_inspection_delegated_and_nobody_else(world, city, staff):
    for _i in range(3):
        filed_enterprise(world["nanshan"])
    people = supervisors_in_pool(city, 5)
    draw = _make(city, staff, target_count=2, supervisors_per_target=2)
    for inspection in draw.inspections.all():
        assigned = set(inspection.assignments.values_list("supervisor_id", flat=True))
        assert len(assigned) == 2
        for user in people:
            fresh = type(user).objects.get(pk=user.pk)
            assert fresh.has_perm(INSPECT_PERM, inspection) == (user.pk in assigned)
        assert not staff.has_perm(INSPECT_PERM, inspection)
