"""The mainland-China working-day calendar behind every "N working days" clock (R-F6, R-F7, R-P2,
R-R1), checked against the dates the State Council published for 2025 and 2026."""

import datetime as dt

import pytest

from portal.core import workdays
from portal.core.models import CalendarDay, CalendarYear, DayKind
from portal.core.settings_services import (
    calendar_day_delete,
    calendar_day_save,
    calendar_year_create,
)

D = dt.date

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", [D(2026, 10, 1), D(2026, 10, 2), D(2026, 10, 5), D(2026, 10, 7)])
def test_national_day_2026_weekdays_are_holidays(day):
    assert day.weekday() < 5
    assert workdays.is_working_day(day) is False


def test_make_up_saturday_2026_10_10_is_a_working_day():
    assert D(2026, 10, 10).weekday() == 5
    assert workdays.is_working_day(D(2026, 10, 10)) is True
    assert workdays.is_working_day(D(2026, 9, 20)) is True  # the Sunday before National Day


def test_ordinary_days_follow_the_weekday_rule():
    assert workdays.is_working_day(D(2026, 10, 8)) is True  # Thursday after the holiday
    assert workdays.is_working_day(D(2026, 10, 11)) is False  # ordinary Sunday
    assert workdays.is_working_day(D(2026, 3, 14)) is False  # ordinary Saturday


def test_2025_spring_festival_and_national_day():
    assert workdays.is_working_day(D(2025, 1, 28)) is False  # 除夕, a Tuesday
    assert workdays.is_working_day(D(2025, 2, 4)) is False
    assert workdays.is_working_day(D(2025, 1, 26)) is True  # make-up Sunday
    assert workdays.is_working_day(D(2025, 2, 8)) is True  # make-up Saturday
    assert workdays.is_working_day(D(2025, 10, 8)) is False
    assert workdays.is_working_day(D(2025, 10, 11)) is True
    assert workdays.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)


def test_add_working_days_skips_national_day_2026():
    assert workdays.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    # 10-08 Thu, 10-09 Fri, 10-10 make-up Sat, 10-12 Mon
    assert workdays.add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert workdays.add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)


def test_r_f6_twenty_working_days_from_receipt_across_national_day_2026():
    # Received Friday 2026-09-18. Working days after it: 09-20 (make-up Sunday), 21, 22, 23, 24,
    # (25 is 中秋, a holiday), 28, 29, 30 = 8; then 10-08, 09, 10 (make-up Saturday), 12, 13, 14,
    # 15, 16, 19, 20, 21, 22 = 12 more, so the 20th working day is 2026-10-22.
    assert workdays.is_working_day(D(2026, 9, 25)) is False
    assert workdays.add_working_days(D(2026, 9, 18), 20) == D(2026, 10, 22)


def test_add_zero_working_days_is_the_same_day_even_on_a_holiday():
    assert workdays.add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)


def test_add_negative_working_days_is_refused():
    with pytest.raises(ValueError):
        workdays.add_working_days(D(2026, 10, 3), -1)


def test_working_days_between_counts_after_a_up_to_and_including_b():
    # a < d <= b: 09-30 itself is not counted, 10-08 is.
    assert workdays.working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1
    assert workdays.working_days_between(D(2026, 9, 29), D(2026, 9, 30)) == 1
    assert workdays.working_days_between(D(2026, 10, 7), D(2026, 10, 10)) == 3
    assert workdays.working_days_between(D(2026, 10, 8), D(2026, 10, 8)) == 0


def test_working_days_between_is_negative_when_reversed():
    assert workdays.working_days_between(D(2026, 10, 8), D(2026, 9, 30)) == -1
    assert workdays.working_days_between(D(2026, 10, 12), D(2026, 9, 30)) == -4


def test_working_days_between_inverts_add_working_days():
    start = D(2025, 12, 20)
    for n in (1, 5, 10, 20, 60):
        assert workdays.working_days_between(start, workdays.add_working_days(start, n)) == n


def test_2027_without_calendar_is_an_error_naming_the_year():
    assert workdays.has_calendar(2026) is True
    assert workdays.has_calendar(2027) is False
    with pytest.raises(workdays.CalendarMissing) as missing:
        workdays.is_working_day(D(2027, 1, 4))
    assert missing.value.year == 2027
    assert "2027" in str(missing.value)


def test_a_deadline_running_into_2027_is_not_guessed():
    with pytest.raises(workdays.CalendarMissing) as missing:
        workdays.add_working_days(D(2026, 12, 28), 10)
    assert "2027" in str(missing.value)
    with pytest.raises(workdays.CalendarMissing):
        workdays.working_days_between(D(2026, 12, 30), D(2027, 1, 5))


def test_an_admin_entered_2027_then_counts(carl):
    calendar_year = calendar_year_create(year=2027, actor=carl, source="国办发明电〔2026〕")
    assert workdays.has_calendar(2027) is True
    # Without exceptions the weekday rule applies: Friday 2027-01-01 would be a working day.
    assert workdays.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)
    calendar_day_save(
        calendar_year=calendar_year,
        actor=carl,
        data={"date": D(2027, 1, 1), "kind": DayKind.HOLIDAY, "name": "元旦"},
    )
    assert workdays.is_working_day(D(2027, 1, 1)) is False
    assert workdays.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert workdays.working_days_between(D(2026, 12, 30), D(2027, 1, 5)) == 3  # 31, 4, 5


def test_the_cache_is_cleared_when_a_day_is_saved_or_deleted(
    carl, django_capture_on_commit_callbacks
):
    assert workdays.is_working_day(D(2026, 10, 9)) is True  # now cached for 2026
    calendar_year = CalendarYear.objects.get(year=2026)
    with django_capture_on_commit_callbacks(execute=True):
        day = calendar_day_save(
            calendar_year=calendar_year,
            actor=carl,
            data={"date": D(2026, 10, 9), "kind": DayKind.HOLIDAY, "name": "调整"},
        )
    assert workdays.is_working_day(D(2026, 10, 9)) is False
    assert workdays.add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 10)
    with django_capture_on_commit_callbacks(execute=True):
        calendar_day_delete(day=day, actor=carl)
    assert workdays.is_working_day(D(2026, 10, 9)) is True
    assert workdays.add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 9)


def test_the_cache_really_holds_the_year_until_cleared():
    """Proves the previous test could fail: a write that bypasses the services goes unseen."""
    assert workdays.is_working_day(D(2026, 10, 9)) is True
    CalendarDay.objects.bulk_create([CalendarDay(date=D(2026, 10, 9), kind=DayKind.HOLIDAY)])
    assert workdays.is_working_day(D(2026, 10, 9)) is True
    workdays.clear_cache()
    assert workdays.is_working_day(D(2026, 10, 9)) is False
