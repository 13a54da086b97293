"""Flags that help the city choose what to inspect: each found on a crafted case, none on the
near miss, explained in Chinese on the dashboard, with links to what it concerns."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import AssessmentSession, Examiner
from supervision.flags import detection as flags
from supervision.stats.builders import StatsScope
from tests.assessments.schemes.factories import ExaminerFactory
from tests.supervision.stats.helpers import (
    YEAR,
    certificate_for,
    plan_with_results,
    scores,
    today_is,
)
from tests.support.factories import EnterpriseFactory, SanctionFactory

URL = reverse("stats_dashboard")


@pytest.fixture
def city_scope(world):
    return StatsScope(role="city", bureau=world["city"], city=world["city"])


@pytest.fixture
def nanshan_scope(world):
    return StatsScope(role="district", bureau=world["nanshan"], city=world["city"])


def _kinds(scope) -> list[str]:
    return [flag.kind for flag in flags.flags_for(scope=scope, year=YEAR)]


# 100 % pass rate ----------------------------------------------------------------------------


def test_a_batch_of_ten_all_passed_is_flagged(city_scope, ent_a):
    plan_with_results(ent_a, [(4, "passed")] * flags.PASS_ALL_MIN)
    found = flags.pass_all(q=city_scope.q, year=YEAR)
    assert len(found) == 1
    assert "10" in found[0].message and "100" in found[0].message


def test_nine_all_passed_or_ten_with_one_failure_is_not(city_scope, ent_a):
    plan_with_results(ent_a, [(4, "passed")] * (flags.PASS_ALL_MIN - 1))
    plan_with_results(ent_a, [(4, "passed")] * flags.PASS_ALL_MIN + [(4, "failed")])
    assert flags.pass_all(q=city_scope.q, year=YEAR) == []


def test_a_batch_still_being_prepared_is_not_flagged(city_scope, ent_a):
    plan_with_results(ent_a, [(4, "passed")] * 12, batch_status="publicised")
    assert flags.pass_all(q=city_scope.q, year=YEAR) == []


# Identical score patterns -------------------------------------------------------------------


def _scored(enterprise, vectors: list[dict]):
    plan, entries = plan_with_results(enterprise, [(4, "passed")] * len(vectors))
    for entry, vector in zip(entries, vectors, strict=True):
        scores(entry, **vector)
    return plan


def test_three_examinees_with_the_same_scores_are_flagged(city_scope, ent_a):
    same = {"theory": 88, "practical": 91}
    plan = _scored(
        ent_a, [same, same, same] + [{"theory": 60 + n, "practical": 70} for n in range(7)]
    )
    found = flags.identical_scores(q=city_scope.q, year=YEAR)
    assert len(found) == 1
    assert "3" in found[0].message and "10" in found[0].message
    assert found[0].links[0][1] == reverse("plan_detail", args=[plan.pk])


def test_two_alike_or_a_small_share_of_a_big_roster_is_not(city_scope, ent_a):
    same = {"theory": 88, "practical": 91}
    _scored(ent_a, [same, same] + [{"theory": 60 + n, "practical": 70} for n in range(3)])
    # 3 alike out of 16: below 20 % of the roster.
    _scored(ent_a, [same] * 3 + [{"theory": 50 + n, "practical": 70} for n in range(13)])
    # Same theory, different practical: not the same vector.
    _scored(ent_a, [{"theory": 88, "practical": 90 + n} for n in range(4)])
    assert flags.identical_scores(q=city_scope.q, year=YEAR) == []


# Sudden jump in roster size -----------------------------------------------------------------


def test_a_roster_three_times_the_median_of_earlier_plans_is_flagged(city_scope, ent_a):
    for size, day in ((10, dt.date(2025, 3, 1)), (12, dt.date(2025, 6, 1))):
        plan_with_results(ent_a, [(4, "passed")] * size, plan_submitted_on=day, batch_status=None)
    plan_with_results(ent_a, [(4, "failed")] * 33, plan_submitted_on=dt.date(2026, 9, 1))
    found = flags.roster_jump(q=city_scope.q, year=YEAR)
    assert len(found) == 1
    assert "33" in found[0].message and "11" in found[0].message


def test_a_smaller_jump_or_a_first_plan_is_not(city_scope, ent_a, ent_b):
    plan_with_results(ent_a, [(4, "passed")] * 12, plan_submitted_on=dt.date(2025, 3, 1))
    plan_with_results(ent_a, [(4, "failed")] * 35, plan_submitted_on=dt.date(2026, 9, 1))
    plan_with_results(ent_b, [(4, "failed")] * 40, plan_submitted_on=dt.date(2026, 9, 1))
    assert flags.roster_jump(q=city_scope.q, year=YEAR) == []


# R-P5a ---------------------------------------------------------------------------------------


def test_r_p5a_the_same_person_certified_twice_in_a_year_across_enterprises(
    city_scope, nanshan_scope, world, ent_a, ent_b
):
    person = "440305199001010018"
    _plan, (first,) = plan_with_results(ent_a, [(4, "passed")], people=[person])
    _plan, (second,) = plan_with_results(ent_b, [(4, "passed")], people=[person])
    one = certificate_for(first, issued_on=dt.date(2026, 3, 1))
    two = certificate_for(second, issued_on=dt.date(2026, 11, 20))
    found = flags.one_person_one_certificate(scope=city_scope, year=YEAR)
    assert len(found) == 1
    assert "440***********0018" in found[0].message
    assert person not in found[0].message
    assert [url for _text, url in found[0].links] == [
        reverse("certificate_detail", args=[one.pk]),
        reverse("certificate_detail", args=[two.pk]),
    ]
    # 南山 sees the case (it involves its enterprise) but only opens its own certificate.
    (seen,) = flags.one_person_one_certificate(scope=nanshan_scope, year=YEAR)
    assert [url is not None for _text, url in seen.links] == [True, False]


def test_r_p5a_another_level_another_year_or_a_revoked_one_is_no_breach(city_scope, ent_a, ent_b):
    person = "440305199001010018"
    _p, (a,) = plan_with_results(ent_a, [(4, "passed")], people=[person])
    _p, (b,) = plan_with_results(ent_b, [(3, "passed")], people=[person])
    _p, (c,) = plan_with_results(ent_b, [(4, "passed")], people=[person])
    _p, (d,) = plan_with_results(ent_a, [(4, "passed")], people=[person])
    certificate_for(a, issued_on=dt.date(2026, 3, 1))
    certificate_for(b, issued_on=dt.date(2026, 5, 1))  # level 3
    certificate_for(c, issued_on=dt.date(2025, 5, 1))  # 2025
    certificate_for(d, issued_on=dt.date(2026, 6, 1), status="revoked")
    assert flags.one_person_one_certificate(scope=city_scope, year=YEAR) == []


def test_r_p5a_a_district_does_not_see_cases_of_other_districts(nanshan_scope, world, ent_b):
    person = "440305199001010018"
    other = EnterpriseFactory(district=world["futian"])
    _p, (a,) = plan_with_results(ent_b, [(4, "passed")], people=[person])
    _p, (b,) = plan_with_results(other, [(4, "passed")], people=[person])
    certificate_for(a)
    certificate_for(b)
    assert flags.one_person_one_certificate(scope=nanshan_scope, year=YEAR) == []


# R-C3 ----------------------------------------------------------------------------------------


def _staffed(enterprise, *, revoked_on, role="examiner"):
    plan, _entries = plan_with_results(enterprise, [(4, "passed")])  # session on 2026-10-20
    person = ExaminerFactory(enterprise=enterprise, role=role)
    getattr(plan, "examiners" if role == "examiner" else "supervisors").add(person)
    Examiner.objects.filter(pk=person.pk).update(status="revoked", revoked_on=revoked_on)
    return plan, person


def test_r_c3_a_session_on_or_after_an_examiners_revocation_is_flagged(city_scope, ent_a):
    plan, person = _staffed(ent_a, revoked_on=dt.date(2026, 10, 20))
    found = flags.examiner_revoked(q=city_scope.q, year=YEAR)
    assert len(found) == 1
    assert person.name in found[0].message and "2026-10-20" in found[0].message
    assert found[0].rule == "R-C3"


def test_r_c3_a_revoked_internal_supervisor_is_flagged_too(city_scope, ent_a):
    _staffed(ent_a, revoked_on=dt.date(2026, 10, 1), role="supervisor")
    assert len(flags.examiner_revoked(q=city_scope.q, year=YEAR)) == 1


def test_r_c3_a_revocation_after_the_last_session_is_not(city_scope, ent_a):
    plan, _person = _staffed(ent_a, revoked_on=dt.date(2026, 10, 21))
    AssessmentSession.objects.filter(plan=plan).update(date=dt.date(2026, 10, 20))
    assert flags.examiner_revoked(q=city_scope.q, year=YEAR) == []


def test_r_c3_the_plan_page_warns_about_the_revoked_examiner(client, ent_a, dora):
    plan, person = _staffed(ent_a, revoked_on=dt.date(2026, 10, 1))
    client.force_login(dora)
    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert 'id="revocation-warnings"' in html
    assert person.name in html and "2026-10-01" in html


def test_r_c3_no_warning_on_a_plan_without_a_revoked_examiner(client, ent_a, dora):
    plan, _person = _staffed(ent_a, revoked_on=dt.date(2026, 10, 21))
    client.force_login(dora)
    html = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert 'id="revocation-warnings"' not in html


# R-M2 ----------------------------------------------------------------------------------------


def test_r_m2_certificates_issued_on_or_after_a_cancellation_are_flagged(
    client, city_scope, ent_a, carl
):
    _plan, entries = plan_with_results(ent_a, [(4, "passed")] * 3)
    SanctionFactory(enterprise=ent_a, decided_on=dt.date(2026, 6, 1), decided_by=carl)
    before = certificate_for(entries[0], issued_on=dt.date(2026, 5, 31))
    same_day = certificate_for(entries[1], issued_on=dt.date(2026, 6, 1))
    found = flags.issued_after_cancellation(q=city_scope.q, year=YEAR)
    assert [f.links[0][0] for f in found] == [same_day.number]
    assert "2026-06-01" in found[0].message
    client.force_login(carl)
    html = client.get(reverse("certificate_detail", args=[same_day.pk])).content.decode()
    assert 'id="cancellation-warning"' in html
    html = client.get(reverse("certificate_detail", args=[before.pk])).content.decode()
    assert 'id="cancellation-warning"' not in html


def test_r_m2_a_removal_is_not_a_cancellation(city_scope, ent_a, carl):
    _plan, entries = plan_with_results(ent_a, [(4, "passed")])
    SanctionFactory(
        enterprise=ent_a, kind="removed", decided_on=dt.date(2026, 6, 1), decided_by=carl
    )
    certificate_for(entries[0], issued_on=dt.date(2026, 7, 1))
    assert flags.issued_after_cancellation(q=city_scope.q, year=YEAR) == []


# On the dashboard ----------------------------------------------------------------------------


def test_the_dashboard_explains_each_flag_in_chinese_with_a_link(client, ent_a, ent_b, carl, dora):
    plan_a, _ = plan_with_results(ent_a, [(4, "passed")] * 10)
    plan_b, _ = plan_with_results(ent_b, [(4, "passed")] * 11)
    client.force_login(carl)
    with today_is():
        html = client.get(URL).content.decode()
    assert html.count('class="flag-pass_all"') == 2
    assert "通过" in html
    assert reverse("result_batch", args=[plan_a.pk]) in html
    client.force_login(dora)
    with today_is():
        html = client.get(URL).content.decode()
    assert html.count('class="flag-pass_all"') == 1
    assert reverse("result_batch", args=[plan_b.pk]) not in html
