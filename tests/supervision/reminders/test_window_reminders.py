"""R-F4 reminders before a window closes, for the windows of every kind: a yearly window's
occurrence this year (Beijing, seed 002 §五), a district's own window (Pingshan, seed 000 §四),
none where filing is open all year (Shandong, seed 004 §二(一)).

Today is Monday 2026-11-02; "3 working days before" reaches Thursday 2026-11-05.
"""

import datetime as dt

import pytest

from portal.core.models import ApplicationWindow, Policy, WindowRepeat
from supervision.reminders import rules
from tests.support.factories import BureauFactory, EnterpriseFactory, FilingFactory, make_member

D = dt.date
TODAY = D(2026, 11, 2)

pytestmark = pytest.mark.django_db


def found(today=TODAY) -> dict[str, list[str]]:
    return {
        due.subject_key: sorted(u.username for u in due.recipients)
        for due in rules.window_closing(today)
    }


def test_j_bj_a_yearly_window_reminds_with_this_years_closing_day_seed_002_s5(world, ent_a, alice):
    ApplicationWindow.objects.filter(bureau=world["city"]).delete()
    window = ApplicationWindow.objects.create(
        bureau=world["city"],
        repeat=WindowRepeat.YEARLY,
        opens_on=D(2000, 6, 1),
        closes_on=D(2000, 11, 5),
    )
    FilingFactory(enterprise=ent_a)
    dues = list(rules.window_closing(TODAY))
    assert [d.subject_key for d in dues] == [f"window:{window.pk}:closes:2026-11-05"]
    assert "2026-11-05" in dues[0].title and "2000" not in dues[0].title
    # Next year the same window is a new occasion.
    assert found(D(2027, 11, 2)) == {f"window:{window.pk}:closes:2027-11-05": ["alice"]}


def test_j_sz_pingshan_enterprises_are_reminded_of_pingshans_window_seed_000_s4(
    world, ent_a, alice
):
    pingshan = BureauFactory(code="440310", name="坪山区人力资源局", parent=world["city"])
    city_window = ApplicationWindow.objects.get(bureau=world["city"])
    city_window.closes_on = D(2026, 11, 5)
    city_window.save()
    own = ApplicationWindow.objects.create(
        bureau=pingshan, opens_on=D(2026, 10, 8), closes_on=D(2026, 11, 4)
    )
    FilingFactory(enterprise=ent_a)
    ps = EnterpriseFactory(district=pingshan)
    make_member("pia", "enterprise", enterprise=ps)
    FilingFactory(enterprise=ps)
    assert found() == {
        f"window:{city_window.pk}:closes:2026-11-05": ["alice"],
        f"window:{own.pk}:closes:2026-11-04": ["pia"],
    }


def test_j_sd_no_reminder_where_filing_is_open_all_year_seed_004_s2_1(world, ent_a, alice):
    ApplicationWindow.objects.filter(bureau=world["city"]).update(closes_on=D(2026, 11, 5))
    FilingFactory(enterprise=ent_a)
    Policy.objects.filter(bureau=world["city"]).update(filing_open_all_year=True)
    assert found() == {}
