"""Each role's desk (/dashboard/) and the city's list: the R-F6 review clock in working days,
overdue rows, and the calendar-missing message where a deadline cannot be counted."""

import datetime as dt
import re
from unittest import mock

import pytest
from django.urls import reverse

from filings.models import FilingStatus
from filings.review import services
from portal.core.models import CalendarYear, Role
from tests.support.factories import (
    EnterpriseFactory,
    FilingFactory,
    UserFactory,
    approved_filing,
    make_member,
)

D = dt.date
MONDAY = D(2026, 6, 1)


@pytest.fixture
def today():
    with mock.patch("django.utils.timezone.localdate", return_value=MONDAY):
        yield MONDAY


def in_review(world, name: str, *, received_on: dt.date, due_on: dt.date | None, **fields):
    enterprise = EnterpriseFactory(name=name, district=world["nanshan"])
    return FilingFactory(
        enterprise=enterprise,
        status=fields.pop("status", FilingStatus.CITY_REVIEW),
        submitted_at=dt.datetime(2026, 5, 6, 9, 0, tzinfo=dt.UTC),
        received_on=received_on,
        due_on=due_on,
        **fields,
    )


@pytest.fixture
def clocks(world):
    """Three filings the city must review: overdue, due this week, due in a month."""
    return {
        "overdue": in_review(
            world, "超期审核有限公司", received_on=D(2026, 4, 24), due_on=D(2026, 5, 25)
        ),
        "soon": in_review(
            world, "本周到期有限公司", received_on=D(2026, 5, 8), due_on=D(2026, 6, 5)
        ),
        "far": in_review(
            world,
            "下月到期有限公司",
            received_on=D(2026, 6, 1),
            due_on=D(2026, 6, 30),
            status=FilingStatus.EXPERT_REVIEW,
        ),
    }


def row_of(page: str, name: str) -> str:
    match = re.search(r"<tr[^>]*>(?:(?!</tr>).)*" + re.escape(name) + r".*?</tr>", page, re.S)
    assert match, f"no row for {name}"
    return match.group(0)


def test_r_f6_the_city_desk_shows_days_left_and_overdue_in_working_days(
    client, today, carl, clocks
):
    client.force_login(carl)
    page = client.get("/dashboard/").content.decode()
    overdue = row_of(page, "超期审核有限公司")
    assert overdue.startswith('<tr class="overdue">')
    assert "已超期5个工作日" in overdue and "2026-05-25" in overdue
    soon = row_of(page, "本周到期有限公司")
    assert 'class="overdue"' not in soon
    assert '<span class="soon">剩余4个工作日</span>' in soon
    # 21 weekdays to 30 June, minus the Dragon Boat Festival on Friday 19 June.
    far = row_of(page, "下月到期有限公司")
    assert "剩余20个工作日" in far and "2026-06-30" in far
    assert 'class="overdue"' not in far


def test_r_f6_the_most_urgent_filing_comes_first(client, today, carl, clocks):
    client.force_login(carl)
    page = client.get("/dashboard/").content.decode()
    positions = [
        page.index(name) for name in ("超期审核有限公司", "本周到期有限公司", "下月到期有限公司")
    ]
    assert positions == sorted(positions)


def test_r_f6_the_city_list_marks_overdue_rows(client, today, carl, clocks):
    client.force_login(carl)
    page = client.get("/filings/").content.decode()
    assert row_of(page, "超期审核有限公司").startswith('<tr class="overdue">')
    assert "已超期5个工作日" in page
    assert "剩余4个工作日" in page and "剩余20个工作日" in page
    assert not row_of(page, "下月到期有限公司").startswith('<tr class="overdue">')


def test_r_f6_a_due_date_in_a_year_without_calendar_is_provisional_and_marked_so(
    client, world, carl
):
    """Issue 16: until 2027 is entered, the clock counts 2027 on weekends alone and says so."""
    CalendarYear.objects.filter(year=2027).delete()
    filing = in_review(world, "跨年受理有限公司", received_on=D(2026, 12, 10), due_on=None)
    note = "2027年工作日历尚未录入：此日期为暂定，仅按周末推算"
    client.force_login(carl)
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 12, 14)):
        dashboard = client.get("/dashboard/").content.decode()
        listing = client.get("/filings/").content.decode()
        detail = client.get(f"/filings/{filing.pk}/").content.decode()
    for page in (dashboard, listing):
        row = row_of(page, "跨年受理有限公司")
        # 15 working days left in December 2026, then 1, 4, 5, 6, 7 January 2027.
        assert "2027-01-07（暂定）" in row and note in row
        assert "剩余18个工作日" in row
    assert note in detail
    filing.refresh_from_db()
    assert filing.due_on is None  # nothing provisional is stored


def test_r_f6_a_clock_reaching_into_a_missing_year_counts_it_provisionally(client, world, carl):
    CalendarYear.objects.filter(year=2027).delete()
    # A deadline stored while 2027 still had a calendar, looked at after it was removed.
    in_review(world, "跨年截止有限公司", received_on=D(2026, 12, 1), due_on=D(2027, 1, 5))
    client.force_login(carl)
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 12, 14)):
        row = row_of(client.get("/dashboard/").content.decode(), "跨年截止有限公司")
    assert "剩余16个工作日" in row and "2027年工作日历尚未录入" in row


def test_r_f6_the_city_desk_counts_filings_by_status(client, today, carl, clocks):
    client.force_login(carl)
    page = client.get("/dashboard/").content.decode()
    assert re.search(r"<b>2</b>市级审核</a>", page)
    assert re.search(r"<b>1</b>专家现场评估</a>", page)
    assert re.search(r"<b>0</b>草稿</a>", page)


def test_the_district_desk_lists_only_its_pre_reviews(client, today, world, dora, ent_a, ent_b):
    FilingFactory(
        enterprise=ent_a,
        status=FilingStatus.DISTRICT_REVIEW,
        submitted_at=dt.datetime(2026, 5, 28, 9, 0, tzinfo=dt.UTC),
    )
    FilingFactory(enterprise=ent_b, status=FilingStatus.DISTRICT_REVIEW)
    client.force_login(dora)
    page = client.get("/dashboard/").content.decode()
    assert ent_a.name in page and "区级初审" in page and "2026-05-28" in page
    assert ent_b.name not in page


def test_the_expert_desk_lists_the_assigned_filing_awaiting_the_opinion(
    client, today, world, carl, erin, clocks
):
    services.filing_assign_experts(filing=clocks["far"], actor=carl, experts=[erin])
    client.force_login(erin)
    page = client.get("/dashboard/").content.decode()
    assert "下月到期有限公司" in page and "剩余20个工作日" in page
    assert "超期审核有限公司" not in page and "本周到期有限公司" not in page


def test_the_enterprise_desk_shows_the_correction_deadline(client, today, alice, ent_a):
    FilingFactory(
        enterprise=ent_a,
        status=FilingStatus.RETURNED,
        decision_note="请补充材料",
        correction_deadline=D(2026, 6, 3),
    )
    client.force_login(alice)
    page = client.get("/dashboard/").content.decode()
    row = row_of(page, ent_a.name + "</a>")
    assert "退回修改" in row and "剩余2个工作日" in row and "2026-06-03" in row


def test_the_enterprise_desk_shows_its_current_filing(client, today, alice, ent_a):
    approved_filing(ent_a, "440320250007", approved_on=D(2025, 4, 1))
    client.force_login(alice)
    page = client.get("/dashboard/").content.decode()
    assert "440320250007" in page and "有效期至 2028-03-31" in page


def test_a_pending_enterprise_is_told_its_district_activates_it(client, world):
    enterprise = EnterpriseFactory(district=world["nanshan"], status="pending")
    user = make_member("newbie", "enterprise", enterprise=enterprise)
    client.force_login(user)
    page = client.get("/dashboard/").content.decode()
    assert "待激活" in page
    assert "南山区审核并激活新注册企业" in page


def test_a_user_without_role_is_told_to_ask_for_one(client, db):
    client.force_login(UserFactory(username="nobody"))
    page = client.get("/dashboard/").content.decode()
    assert "您的账户尚未分配角色，请联系所在单位管理员。" in page


def test_the_city_admin_is_warned_from_october_when_next_years_calendar_is_missing(
    client, world, carl
):
    CalendarYear.objects.filter(year=2027).delete()
    client.force_login(carl)
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 10, 1)):
        page = client.get("/dashboard/").content.decode()
    assert "2027年工作日历尚未录入" in page
    assert reverse("calendar_notice") in page
    with mock.patch("django.utils.timezone.localdate", return_value=D(2026, 9, 30)):
        page = client.get("/dashboard/").content.decode()
    assert "2027年工作日历尚未录入" not in page


def test_the_desk_needs_a_login(client, db):
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_city_desk_lists_result_filings_waiting_for_its_decision(client, carl, ent_a, alice):
    """R-R2: a submitted result batch waits on the city's desk with its due date."""
    from tests.assessments.results.factories import result_matrix_objects

    people = {"alice": alice, "carl": carl}
    from tests.support.factories import make_member

    people["erin"] = make_member("erin", "expert", bureau=carl.membership.bureau)
    result_matrix_objects(enterprise=ent_a, people=people)
    client.force_login(carl)
    page = client.get("/dashboard/").content.decode()
    assert "评价认定待办" in page
    assert "已报送结果备案" in page


def test_the_enterprise_desk_lists_each_plan_and_scheme_with_its_next_step(client, alice, ent_a):
    """Issue 16: the enterprise's desk lists what it must do next (a plan waiting for its
    roster, an acknowledged plan whose results are due) and what waits for the bureau."""
    from tests.assessments.factories import PlanFactory, approved_scheme

    PlanFactory(enterprise=ent_a, title="2027年第一期车工认定")
    PlanFactory(enterprise=ent_a, title="2026年第四期车工认定", status="acknowledged")
    PlanFactory(enterprise=ent_a, title="2026年第五期车工认定", status="submitted")
    scheme = approved_scheme(ent_a, code="6-31-01-03", name="电工")
    scheme.status = "expert_review"
    scheme.save(update_fields=["status"])
    client.force_login(alice)
    page = client.get("/dashboard/").content.decode()
    todo = page[page.index('id="assessment-todo"') : page.index('id="assessment-waiting"')]
    waiting = page[page.index('id="assessment-waiting"') :]
    assert "2027年第一期车工认定" in todo and "导入考生人员名册" in todo
    assert "2026年第四期车工认定" in todo and "组织考核，录入成绩并公示结果" in todo
    assert "2026年第五期车工认定" in waiting and "等待市级确认" in waiting
    assert "电工" in waiting and "等待专家评估" in waiting
    assert "2026年第五期车工认定" not in todo


def test_a_supervisor_desk_shows_no_filing_tiles(client, world):
    """Issue 16: a supervisor cannot open the filing list, so the desk shows no filing tiles."""
    sam = make_member("sam-desk", Role.SUPERVISOR, bureau=world["city"])
    client.force_login(sam)
    page = client.get("/dashboard/").content.decode()
    assert "/filings/?status=" not in page and "备案待办" not in page
