"""A city administrator enters a year's working-day calendar by pasting the State Council's
holiday notice: the parser reads past notices exactly as chinese-calendar records those years, the
page shows the parsed year before saving, and saving replaces the year, audited."""

import datetime as dt

import chinese_calendar
import pytest
from django.urls import reverse

from portal.core import workdays
from portal.core.calendar_status import next_year_calendar_warning
from portal.core.holiday_notice import NoticeUnreadable, parse_holiday_notice
from portal.core.models import AuditEvent, CalendarDay, CalendarYear, DayKind
from tests.core.holiday_notices import SCHEDULES, notice

D = dt.date
TITLE_2027 = "国务院办公厅关于2027年部分节假日安排的通知\n"


def _working(days_off: set, makeup: set, day: dt.date) -> bool:
    return day in makeup or (day.weekday() < 5 and day not in days_off)


@pytest.fixture(scope="module")
def parsed_notices():
    return {year: parse_holiday_notice(notice(year)) for year in SCHEDULES}


@pytest.mark.parametrize("year", sorted(SCHEDULES))
def test_parsed_notice_gives_every_day_of_the_year_the_status_chinese_calendar_knows(
    parsed_notices, year
):
    # A notice may name the last days of the year before (元旦 2019 begins on 2018-12-30):
    # the days of a year come from its own notice and the next one's.
    days_off, makeup = set(), set()
    for parsed in parsed_notices.values():
        days_off |= {day.date for day in parsed.days_off}
        makeup |= {day.date for day in parsed.makeup_days}
    assert parsed_notices[year].year == year
    assert parsed_notices[year].warnings == []
    day, wrong = D(year, 1, 1), []
    while day.year == year:
        if _working(days_off, makeup, day) != chinese_calendar.is_workday(day):
            wrong.append(day)
        day += dt.timedelta(days=1)
    assert wrong == []


def test_notice_2025_reads_spring_festival_range_across_months_and_its_makeup_days(
    parsed_notices,
):
    parsed = parsed_notices[2025]
    spring = [day.date for day in parsed.days_off if day.name == "春节"]
    assert spring == [D(2025, 1, 28) + dt.timedelta(days=n) for n in range(8)]
    assert [day.date for day in parsed.makeup_days if day.name == "春节"] == [
        D(2025, 1, 26),
        D(2025, 2, 8),
    ]


def test_remark_in_parentheses_is_not_a_day_off(parsed_notices):
    # 2024: "鼓励……安排职工在除夕（2月9日）休息" is advice, not part of the schedule.
    assert D(2024, 2, 9) not in {day.date for day in parsed_notices[2024].days_off}


def test_days_of_the_previous_year_are_kept_apart(parsed_notices):
    assert [day.date for day in parsed_notices[2019].other_years] == [
        D(2018, 12, 29),
        D(2018, 12, 30),
        D(2018, 12, 31),
    ]


def test_stated_count_that_does_not_match_the_range_is_a_warning():
    text = notice(2026).replace(
        "至23日（农历正月初七、周一）放假调休，共9天", "至23日放假调休，共8天"
    )
    parsed = parse_holiday_notice(text)
    assert parsed.warnings == ["“春节”写明8天，但列出的日期为9天，请核对。"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("一、元旦：1月1日放假。", "没有写明是哪一年"),
        ("国务院办公厅关于2027年部分节假日安排的通知\n各地：请按时上班。", "没有找到节假日段落"),
        (
            "国务院办公厅关于2027年部分节假日安排的通知\n一、春节：2月30日放假。",
            "2月30日不是2027年的日期",
        ),
        (
            "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：不调休。",
            "“元旦”一段没有放假日期",
        ),
    ],
)
def test_unreadable_notice_says_what_is_missing(text, message):
    with pytest.raises(NoticeUnreadable, match=message):
        parse_holiday_notice(text)


# The page --------------------------------------------------------------------------------------

NOTICE_2027 = notice(2026).replace("2026", "2027")


@pytest.fixture
def admin_client(client, carl):
    client.force_login(carl)
    return client


def test_pasted_notice_is_shown_as_a_calendar_and_nothing_is_saved_before_confirming(
    admin_client,
):
    response = admin_client.post(reverse("calendar_notice"), {"text": notice(2026)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "请先核对2026年日历再保存" in page
    assert "2026-02-16" in page and "春节" in page  # a weekday of the Spring Festival
    assert "2026-02-28" in page  # a Saturday to work
    assert "保存2026年日历" in page
    # The demo world has 2026 already: the page says what saving replaces.
    assert "已存在" in page
    assert not AuditEvent.objects.filter(action="calendar_year_notice").exists()


def test_confirmed_notice_saves_the_year_and_deadlines_count_with_it(admin_client):
    assert not workdays.has_calendar(2027) or CalendarYear.objects.filter(year=2027).delete()
    workdays.clear_cache()
    response = admin_client.post(
        reverse("calendar_notice"), {"text": NOTICE_2027, "confirm": "1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("calendar_year", args=[2027])
    assert "已根据节假日通知保存2027年日历" in response.content.decode()
    saved = CalendarYear.objects.get(year=2027)
    assert saved.source == "国务院节假日安排通知"
    holiday = CalendarDay.objects.get(date=D(2027, 10, 1))
    assert holiday.kind == DayKind.HOLIDAY and holiday.name == "国庆节"
    assert CalendarDay.objects.get(date=D(2027, 2, 14)).kind == DayKind.MAKEUP_WORKDAY
    event = AuditEvent.objects.get(action="calendar_year_notice")
    assert event.actor_id is not None
    workdays.clear_cache()
    assert workdays.has_calendar(2027)
    assert not workdays.is_working_day(D(2027, 10, 1))


def test_saving_a_notice_over_an_entered_year_replaces_its_days_and_records_them(admin_client):
    before = CalendarDay.objects.filter(date__year=2026).count()
    assert before
    CalendarDay.objects.create(date=D(2026, 3, 3), kind=DayKind.HOLIDAY, name="错误录入")
    admin_client.post(reverse("calendar_notice"), {"text": notice(2026), "confirm": "1"})
    assert not CalendarDay.objects.filter(date=D(2026, 3, 3)).exists()
    event = AuditEvent.objects.get(action="calendar_year_notice")
    assert "错误录入" in event.note


def test_unreadable_text_is_refused_on_the_field_and_kept(admin_client):
    text = TITLE_2027 + "一、春节：2月30日放假。"
    response = admin_client.post(reverse("calendar_notice"), {"text": text})
    page = response.content.decode()
    assert response.status_code == 200
    assert "2月30日不是2027年的日期" in page
    assert "一、春节：2月30日放假。" in page
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_empty_paste_is_refused_naming_what_to_do(admin_client):
    response = admin_client.post(reverse("calendar_notice"), {"text": ""})
    assert "请粘贴通知全文" in response.content.decode()


def test_administrator_is_reminded_from_october_while_next_year_is_missing(admin_client):
    CalendarYear.objects.filter(year=2027).delete()
    workdays.clear_cache()
    assert next_year_calendar_warning(D(2026, 9, 30)) == ""
    warning = next_year_calendar_warning(D(2026, 10, 1))
    assert "2027年工作日历尚未录入" in warning and "节假日安排通知" in warning
