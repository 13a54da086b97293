"""Each reminder rule finds what is due on a day, and only that (one test per kind).

Today is Monday 2026-11-02; with no holidays that month, "3 working days before" reaches Thursday
2026-11-05 and "2 working days" Wednesday 11-04.
"""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import AssessmentSession
from portal.core.models import ApplicationWindow, Policy
from supervision.models import AnnualReport, Finding
from supervision.reminders import rules
from tests.assessments.factories import PlanFactory
from tests.assessments.results.factories import acknowledged_plan, publicised_batch
from tests.supervision.factories import ComplaintFactory, inspection_of
from tests.support.factories import EnterpriseFactory, FilingFactory, approved_filing, make_member

D = dt.date
TODAY = D(2026, 11, 2)

pytestmark = pytest.mark.django_db


def found(rule, today=TODAY) -> dict[str, list[str]]:
    """subject_key → the recipients' usernames."""
    return {due.subject_key: sorted(u.username for u in due.recipients) for due in rule(today)}


def approved(enterprise, **fields):
    values = {
        "status": "approved",
        "number": f"4403{enterprise.pk:08d}",
        "approved_on": D(2025, 6, 1),
        "valid_until": D(2028, 5, 31),
    }
    values.update(fields)
    return FilingFactory(enterprise=enterprise, **values)


def test_r_f4_window_closing_reminds_active_enterprises_with_a_draft(
    world, ent_a, ent_b, alice, bob
):
    window = ApplicationWindow.objects.create(
        bureau=world["city"], opens_on=D(2026, 10, 1), closes_on=D(2026, 11, 5)
    )
    # Closes the 4th working day: not yet.
    ApplicationWindow.objects.create(
        bureau=world["city"], opens_on=D(2026, 10, 1), closes_on=D(2026, 11, 6)
    )
    draft = FilingFactory(enterprise=ent_a)
    approved(ent_b)  # B has no draft to submit
    pending = EnterpriseFactory(district=world["nanshan"], status="pending")
    FilingFactory(enterprise=pending)
    make_member("penny", "enterprise", enterprise=pending)
    other = EnterpriseFactory(district=world["shunde"])
    FilingFactory(enterprise=other)
    make_member("oscar", "enterprise", enterprise=other)

    dues = list(rules.window_closing(TODAY))

    assert [(d.subject_key, [u.username for u in d.recipients]) for d in dues] == [
        (f"window:{window.pk}:closes:2026-11-05", ["alice"])
    ]
    assert dues[0].url == f"/filings/{draft.pk}/"
    assert "2026-11-05" in dues[0].title


def operated(world, username, district="nanshan"):
    """Another enterprise with its operator `username`: one open filing per enterprise."""
    enterprise = EnterpriseFactory(district=world[district])
    make_member(username, "enterprise", enterprise=enterprise)
    return enterprise


def test_r_f7_correction_deadline_three_working_days_before_and_on_the_day(
    world, ent_a, ent_b, alice, bob
):
    near = FilingFactory(enterprise=ent_a, status="returned", correction_deadline=D(2026, 11, 5))
    today = FilingFactory(enterprise=ent_b, status="returned", correction_deadline=TODAY)
    later = operated(world, "carol")
    FilingFactory(enterprise=later, status="returned", correction_deadline=D(2026, 11, 6))
    past = operated(world, "dan")
    FilingFactory(enterprise=past, status="returned", correction_deadline=D(2026, 10, 30))
    draft = operated(world, "eve")
    FilingFactory(enterprise=draft, status="draft", correction_deadline=D(2026, 11, 4))

    assert found(rules.correction_deadline) == {
        f"filing:{near.pk}:correct:2026-11-05:3wd": ["alice"],
        f"filing:{today.pk}:correct:2026-11-02:day": ["bob"],
    }


def test_r_f6_review_clock_nearing_and_overdue_go_to_who_reviews_the_status(
    world, carl, dora, fred, olga
):
    make_member("cora", "city", bureau=world["city"])
    nanshan = world["nanshan"]
    nearing = FilingFactory(
        enterprise=EnterpriseFactory(district=nanshan), status="city_review", due_on=D(2026, 11, 4)
    )
    overdue = FilingFactory(
        enterprise=EnterpriseFactory(district=world["futian"]),
        status="expert_review",
        due_on=D(2026, 10, 30),
    )
    district = FilingFactory(
        enterprise=EnterpriseFactory(district=nanshan), status="district_review", due_on=TODAY
    )
    FilingFactory(
        enterprise=EnterpriseFactory(district=nanshan), status="city_review", due_on=D(2026, 11, 6)
    )
    approved_filing(
        EnterpriseFactory(district=nanshan),
        "1",
        approved_on=TODAY,
        valid_until=D(2029, 1, 1),
        due_on=D(2026, 10, 1),
    )

    assert found(rules.review_clock) == {
        f"filing:{nearing.pk}:review:2026-11-04:3wd": ["carl", "cora"],
        f"filing:{overdue.pk}:review:2026-10-30:overdue": ["carl", "cora"],
        f"filing:{district.pk}:review:2026-11-02:3wd": ["dora"],
    }


def _plan_with_session(enterprise, first: dt.date, **fields):
    plan = PlanFactory(enterprise=enterprise, **fields)
    for day in (first, first + dt.timedelta(days=7)):
        AssessmentSession.objects.create(
            plan=plan, date=day, starts_at=dt.time(9), ends_at=dt.time(11), site="实训楼"
        )
    return plan


def test_r_p2_plan_lead_time_two_working_days_before_the_last_day_and_on_it(world, ent_a, alice):
    assert Policy.objects.get(bureau=world["city"]).plan_lead_working_days == 10
    # First session Wed 11-18: 10 working days before is Wed 11-04, the last day to submit.
    near = _plan_with_session(ent_a, D(2026, 11, 18))
    # First session Mon 11-16: the last day is today.
    last_day = _plan_with_session(ent_a, D(2026, 11, 16), status="returned")
    _plan_with_session(ent_a, D(2026, 11, 19))  # last day Thu 11-05: not yet
    _plan_with_session(ent_a, D(2026, 11, 13))  # last day was Fri 10-30: too late to remind
    _plan_with_session(ent_a, D(2026, 11, 18), status="submitted")

    assert rules.last_submission_day(D(2026, 11, 18), 10) == D(2026, 11, 4)
    assert found(rules.plan_lead_time) == {
        f"plan:{near.pk}:submit:2026-11-04:2wd": ["alice"],
        f"plan:{last_day.pk}:submit:2026-11-02:day": ["alice"],
    }


def test_r_p2_a_city_with_a_longer_lead_time_is_reminded_earlier(world, ent_a, alice):
    Policy.objects.filter(bureau=world["city"]).update(plan_lead_working_days=12)
    plan = _plan_with_session(ent_a, D(2026, 11, 18))  # 12 working days before: today

    assert found(rules.plan_lead_time) == {f"plan:{plan.pk}:submit:2026-11-02:day": ["alice"]}


def test_r_r1_publicity_end_on_the_day(world, ent_a, ent_b, alice, bob):
    ends_today = publicised_batch(acknowledged_plan(ent_a), publicity_ends_on=TODAY)
    publicised_batch(acknowledged_plan(ent_b))  # ends 11-09
    publicised_batch(acknowledged_plan(ent_a), publicity_ends_on=TODAY, status="submitted")

    dues = list(rules.publicity_end(TODAY))

    assert [(d.subject_key, [u.username for u in d.recipients]) for d in dues] == [
        (f"batch:{ends_today.pk}:publicity:2026-11-02:day", ["alice"])
    ]
    assert dues[0].url == f"/plans/{ends_today.plan_id}/results/"


def test_r_r1_result_filing_deadline_nearing_and_overdue(world, ent_a, ent_b, alice, bob):
    near = publicised_batch(acknowledged_plan(ent_a), filing_due_on=D(2026, 11, 5))
    late = publicised_batch(
        acknowledged_plan(ent_b), filing_due_on=D(2026, 10, 30), status="returned"
    )
    publicised_batch(acknowledged_plan(ent_a), filing_due_on=D(2026, 11, 6))
    publicised_batch(acknowledged_plan(ent_a), filing_due_on=D(2026, 10, 30), status="approved")

    assert found(rules.result_filing_deadline) == {
        f"batch:{near.pk}:filing:2026-11-05:3wd": ["alice"],
        f"batch:{late.pk}:filing:2026-10-30:overdue": ["bob"],
    }


def test_r_m4_annual_report_ten_days_before_it_is_due(settings, world, ent_a, ent_b, alice, bob):
    settings.ANNUAL_REPORT_DUE = "11-12"  # 10 days after today
    approved(ent_a)
    approved(ent_b)
    AnnualReport.objects.create(
        enterprise=ent_b, year=2026, status="submitted", due_on=D(2026, 11, 12)
    )
    expired = EnterpriseFactory(district=world["nanshan"])
    approved(expired, valid_until=D(2026, 10, 1))
    make_member("ed", "enterprise", enterprise=expired)
    filed_late = EnterpriseFactory(district=world["nanshan"])
    approved(filed_late, approved_on=D(2026, 11, 3), valid_until=D(2029, 11, 2))  # tomorrow
    make_member("lee", "enterprise", enterprise=filed_late)

    assert found(rules.annual_report_due) == {f"annual:{ent_a.pk}:2026:2026-11-12:10d": ["alice"]}

    settings.ANNUAL_REPORT_DUE = "11-13"  # 11 days: not yet
    assert found(rules.annual_report_due) == {}


def test_r_m4_annual_report_overdue_until_submitted(settings, world, ent_a, alice):
    settings.ANNUAL_REPORT_DUE = "03-31"
    approved(ent_a)
    AnnualReport.objects.create(enterprise=ent_a, year=2026, status="draft", due_on=D(2026, 3, 31))

    assert found(rules.annual_report_due) == {
        f"annual:{ent_a.pk}:2026:2026-03-31:overdue": ["alice"]
    }


def test_filing_validity_90_and_30_days_before_it_expires(world, ent_a, ent_b, alice, bob):
    in_60 = approved(ent_a, valid_until=TODAY + dt.timedelta(days=60))
    in_20 = approved(ent_b, valid_until=TODAY + dt.timedelta(days=20))
    approved(ent_a, number="X2", valid_until=TODAY + dt.timedelta(days=91))
    approved(ent_a, number="X3", valid_until=TODAY - dt.timedelta(days=1))

    assert found(rules.filing_validity) == {
        f"filing:{in_60.pk}:valid:2027-01-01:90d": ["alice"],
        f"filing:{in_20.pk}:valid:2026-11-22:30d": ["bob"],
    }


def _finding(inspection, actor, **fields):
    return Finding.objects.create(
        inspection=inspection, description="考评记录不全", created_by=actor, **fields
    )


def test_r_m1_rectification_due_nearing_and_overdue_to_the_inspected_enterprise(
    world, ent_a, alice, bob, carl, sam
):
    inspection = inspection_of(ent_a, supervisors=[sam], actor=carl)
    near = _finding(inspection, carl, rectify_by=D(2026, 11, 5))
    late = _finding(inspection, carl, rectify_by=D(2026, 10, 20))
    _finding(inspection, carl, rectify_by=D(2026, 11, 6))
    _finding(inspection, carl, rectify_by=D(2026, 10, 20), status="answered")

    assert found(rules.rectification_due) == {
        f"finding:{near.pk}:rectify:2026-11-05:3wd": ["alice"],
        f"finding:{late.pk}:rectify:2026-10-20:overdue": ["alice"],
    }
    assert {d.url for d in rules.rectification_due(TODAY)} == {
        reverse("inspection_detail", kwargs={"pk": inspection.pk})
    }


def _complaint(world, reference, bureau, **fields):
    return ComplaintFactory(reference=reference, city=world["city"], bureau=bureau, **fields)


def test_r_m5_complaint_answer_due_goes_to_the_responsible_bureau(world, carl, dora, fred, olga):
    near = _complaint(world, "TS1", world["nanshan"], answer_due_on=D(2026, 11, 4))
    late = _complaint(world, "TS2", world["city"], answer_due_on=D(2026, 10, 30), status="handling")
    _complaint(world, "TS3", world["nanshan"], answer_due_on=D(2026, 11, 5))
    _complaint(world, "TS4", world["futian"], answer_due_on=D(2026, 10, 30), status="answered")

    assert found(rules.complaint_answer_due) == {
        f"complaint:{near.pk}:answer:2026-11-04:2wd": ["dora"],
        f"complaint:{late.pk}:answer:2026-10-30:overdue": ["carl"],
    }
    assert {d.url for d in rules.complaint_answer_due(TODAY)} == {
        reverse("complaint_detail", kwargs={"pk": near.pk}),
        reverse("complaint_detail", kwargs={"pk": late.pk}),
    }


def test_without_a_calendar_the_threshold_falls_back_to_calendar_days(world, ent_a, alice, caplog):
    # 2027 has no calendar: 3 working days from 2026-12-30 cannot be counted.
    filing = FilingFactory(enterprise=ent_a, status="returned", correction_deadline=D(2027, 1, 2))
    later = operated(world, "carol")
    FilingFactory(enterprise=later, status="returned", correction_deadline=D(2027, 1, 3))

    assert found(rules.correction_deadline, D(2026, 12, 30)) == {
        f"filing:{filing.pk}:correct:2027-01-02:3wd": ["alice"]
    }
    assert "2027" in caplog.text and "calendar days" in caplog.text


def test_inactive_users_are_not_reminded(world, ent_a, alice):
    make_member("gone", "enterprise", enterprise=ent_a)
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username="gone").update(is_active=False)
    filing = FilingFactory(enterprise=ent_a, status="returned", correction_deadline=TODAY)

    assert found(rules.correction_deadline) == {
        f"filing:{filing.pk}:correct:2026-11-02:day": ["alice"]
    }
