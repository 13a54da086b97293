"""Issue 16: `manage.py holiday_notice FILE` prints what a State Council holiday notice says,
one `YYYY-MM-DD holiday|workday` a line, reproducing chinese-calendar for 2024-2026, and saves
nothing unless asked."""

import datetime as dt
import io

import chinese_calendar
import pytest
from django.core.management import CommandError, call_command

from portal.core.models import AuditEvent, CalendarDay, CalendarYear, DayKind
from tests.core.holiday_notices import notice

pytestmark = pytest.mark.django_db


def run(path, *args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("holiday_notice", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_printed_days_give_every_day_of_the_year_the_status_chinese_calendar_knows(tmp_path, year):
    path = tmp_path / f"{year}.txt"
    path.write_text(notice(year), encoding="utf-8")
    out, _err = run(path)
    lines = out.splitlines()
    assert lines == sorted(lines)
    status = {}
    for line in lines:
        day, kind = line.split(" ")
        assert kind in ("holiday", "workday")
        status[dt.date.fromisoformat(day)] = kind
    assert {day.year for day in status} == {year}
    day = dt.date(year, 1, 1)
    while day.year == year:
        working = status.get(day) == "workday" or (
            day.weekday() < 5 and status.get(day) != "holiday"
        )
        assert working == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_nothing_is_saved_unless_asked(tmp_path):
    path = tmp_path / "2026.txt"
    path.write_text(notice(2026), encoding="utf-8")
    CalendarDay.objects.filter(date__year=2026).delete()
    run(path)
    assert not CalendarDay.objects.filter(date__year=2026).exists()
    _out, err = run(path, "--save")
    assert "saved" in err
    saved = dict(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind"))
    assert saved[dt.date(2026, 10, 1)] == DayKind.HOLIDAY
    assert saved[dt.date(2026, 1, 4)] == DayKind.MAKEUP_WORKDAY  # a Sunday worked
    assert CalendarYear.objects.filter(year=2026).exists()
    assert AuditEvent.objects.filter(action="calendar_year_notice").count() == 1


def test_a_text_without_a_schedule_is_refused_saying_what_is_missing(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("各地区、各部门：请做好安排。", encoding="utf-8")
    with pytest.raises(CommandError):
        run(path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run(tmp_path / "missing.txt")
