"""The city settings pages: only carl (city admin of 深圳市) may see and change the policy values,
the application windows (R-F4) and the working-day calendar; everyone else gets a 404. The
policy pages of the other levels (province, district) are tests/core/test_policy_settings.py."""

import datetime as dt

import chinese_calendar
import pytest
from django.urls import reverse
from django.utils.html import escape

from portal.core import workdays
from portal.core.calendar_status import next_year_calendar_warning
from portal.core.errors import StaleEdit
from portal.core.models import (
    ApplicationWindow,
    AuditEvent,
    CalendarDay,
    CalendarYear,
    DayKind,
    Policy,
    default_required_materials,
)
from portal.core.policy import effective_policy
from portal.core.policy_forms import PolicyForm
from portal.core.policy_services import policy_update
from tests.support.factories import make_member

D = dt.date


def policy_post(row: Policy, **changes) -> dict:
    """What the policy form posts as rendered (the bureau's own values), with `changes`."""
    form = PolicyForm(bureau=row.bureau, policy=effective_policy(row.bureau), row=row)
    data = {}
    for name, value in form.initial.items():
        if value is True:
            data[name] = "on"
        elif value is not False:
            data[name] = value
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def admin_client(client, carl):
    client.force_login(carl)
    return client


@pytest.fixture
def shenzhen_window(world):
    return ApplicationWindow.objects.get(bureau=world["city"])


def settings_urls(world) -> list[str]:
    window = ApplicationWindow.objects.get(bureau=world["city"])
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    return [
        reverse("city_settings"),
        reverse("city_policy_edit"),
        reverse("window_add"),
        reverse("window_edit", args=[window.pk]),
        reverse("window_delete", args=[window.pk]),
        reverse("calendar_year_add"),
        reverse("calendar_year", args=[2026]),
        reverse("calendar_day_add", args=[2026]),
        reverse("calendar_day_edit", args=[day.pk]),
        reverse("calendar_day_delete", args=[day.pk]),
    ]


# Access ----------------------------------------------------------------------------------------


def test_it_shows_policy_windows_and_calendar_years_to_carl(admin_client):
    response = admin_client.get(reverse("city_settings"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "深圳市" in page
    assert "最低参保职工人数" in page and "300" in page and "R-F1" not in page
    assert "2000-01-01" in page and "2099-12-31" in page  # the open window of the world
    assert reverse("calendar_year", args=[2026]) in page
    assert reverse("calendar_year", args=[2025]) in page
    assert admin_client.post(reverse("city_settings")).status_code == 405  # a page to read


@pytest.mark.parametrize("persona", ["alice", "bob", "dora", "fred", "olga", "erin", "sam"])
def test_it_is_a_404_for_every_other_persona(request, client, world, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in settings_urls(world):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_it_is_a_404_for_a_city_reviewer_who_is_not_admin(client, world):
    client.force_login(make_member("cora", "city", bureau=world["city"]))
    for url in settings_urls(world):
        assert client.get(url).status_code == 404, url
    window = ApplicationWindow.objects.get(bureau=world["city"])
    client.post(reverse("window_delete", args=[window.pk]))
    assert ApplicationWindow.objects.filter(pk=window.pk).exists()


def test_it_sends_anonymous_visitors_to_the_login(client, world):
    response = client.get(reverse("city_settings"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_another_city_admin_cannot_touch_shenzhen_windows(client, world, shenzhen_window):
    client.force_login(make_member("owen", "city", bureau=world["other_city"], is_admin=True))
    assert client.get(reverse("window_edit", args=[shenzhen_window.pk])).status_code == 404
    client.post(reverse("window_delete", args=[shenzhen_window.pk]))
    assert ApplicationWindow.objects.filter(pk=shenzhen_window.pk).exists()
    page = client.get(reverse("city_settings")).content.decode()
    assert "佛山市" in page
    assert "2099-12-31" not in page


def test_it_creates_the_policy_of_a_city_that_has_none(client, world):
    assert not Policy.objects.filter(bureau=world["other_city"]).exists()
    client.force_login(make_member("owen", "city", bureau=world["other_city"], is_admin=True))
    assert client.get(reverse("city_settings")).status_code == 200
    # A city without a preset follows the province and otherwise sets no minimum.
    assert Policy.objects.get(bureau=world["other_city"]).min_insured_employees is None


# Policy ----------------------------------------------------------------------------------------


def test_it_edits_every_policy_value(admin_client, world, carl):
    policy = Policy.objects.get(bureau=world["city"])
    form_page = admin_client.get(reverse("city_policy_edit")).content.decode()
    assert 'name="required_materials__question_bank"' in form_page
    # R-F8: "other" (其他材料) may be asked for too, required or optional.
    assert 'name="required_materials__other"' in form_page
    data = policy_post(
        policy,
        min_insured_employees=500,
        min_enterprise_size="large",
        excluded_scope_keywords="培训、评价, 咨询，顾问  培训",
        min_workstations=12,
        min_examiners=4,
        min_applicants=60,
        district_prereview="no",
        review_working_days=15,
        correction_working_days=5,
        filing_validity_years=4,
        required_materials_inherit=None,
        **{
            f"required_materials__{kind}": ""
            for kind in default_required_materials()
            if kind not in ("business_licence", "application_form")
        },
        required_materials__business_licence="required",
        required_materials__application_form="required",
    )
    response = admin_client.post(reverse("city_policy_edit"), data)
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.min_insured_employees == 500
    assert policy.min_enterprise_size == "large"
    assert policy.excluded_scope_keywords == ["培训", "评价", "咨询", "顾问"]
    assert (policy.min_workstations, policy.min_examiners, policy.min_applicants) == (12, 4, 60)
    assert policy.district_prereview is False
    assert (policy.review_working_days, policy.correction_working_days) == (15, 5)
    assert policy.filing_validity_years == 4
    assert [(item["kind"], item["required"]) for item in policy.required_materials] == [
        ("application_form", True),
        ("business_licence", True),
    ]
    assert policy.version == 2
    event = AuditEvent.objects.get(action="policy_edit")
    assert event.actor == carl
    page = admin_client.get(reverse("city_settings")).content.decode()
    assert "培训、评价、咨询、顾问" in page
    assert "carl" in page  # the recent changes name the actor


def test_it_refuses_a_review_period_of_zero_working_days_naming_the_field(admin_client, world):
    policy = Policy.objects.get(bureau=world["city"])
    data = policy_post(policy, review_working_days=0)
    response = admin_client.post(reverse("city_policy_edit"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "审核期限（工作日）" in page
    assert "不得小于 1" in page
    policy.refresh_from_db()
    assert policy.review_working_days == 20


def test_a_stale_policy_edit_is_refused_and_the_input_kept(admin_client, world, carl):
    policy = Policy.objects.get(bureau=world["city"])
    rendered_version = policy.version
    # Someone else saves while carl's form is open.
    policy_update(
        policy=policy, actor=carl, data={"min_applicants": 70}, expected_version=rendered_version
    )
    data = policy_post(policy, min_insured_employees=800, version=rendered_version)
    response = admin_client.post(reverse("city_policy_edit"), data)
    assert response.status_code == 200
    page = response.content.decode()
    refusal = str(StaleEdit().message)
    assert "记录" in refusal  # the Chinese message, whichever catalog words it
    assert escape(refusal) in page
    assert 'value="800"' in page  # carl's input is kept
    policy.refresh_from_db()
    assert (policy.min_insured_employees, policy.min_applicants) == (300, 70)
    # The form now carries the current version, so saving again after review works.
    assert f'name="version" value="{policy.version}"' in page
    data["version"] = policy.version
    assert admin_client.post(reverse("city_policy_edit"), data).status_code == 302
    policy.refresh_from_db()
    assert policy.min_insured_employees == 800


# Working-day calendar --------------------------------------------------------------------------


def test_the_year_page_shows_exceptions_and_the_month_grid(admin_client):
    response = admin_client.get(reverse("calendar_year", args=[2026]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026-10-10" in page and "调休上班日" in page
    assert "<td>国庆节</td>" in page  # chinese-calendar's English names shown in Chinese
    working = sum(workdays.is_working_day(D(2026, 1, 1) + dt.timedelta(days=n)) for n in range(365))
    assert f"<dd>{working}</dd>" in page  # the year's working days
    assert page.count('class="month"') == 12
    assert '<td class="workday" title="调休上班日' in page


def test_a_holiday_added_edited_and_deleted_moves_the_deadline(
    admin_client, carl, django_capture_on_commit_callbacks
):
    assert workdays.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("calendar_day_add", args=[2026]),
            {"date": "2026-10-08", "kind": "holiday", "name": "国庆节延长"},
        )
    assert response.status_code == 302
    day = CalendarDay.objects.get(date=D(2026, 10, 8))
    assert (day.kind, day.name) == (DayKind.HOLIDAY, "国庆节延长")
    assert workdays.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 9)
    assert AuditEvent.objects.get(action="calendar_day_add").actor == carl

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("calendar_day_edit", args=[day.pk]),
            {"date": "2026-10-09", "kind": "holiday", "name": "国庆节延长"},
        )
    assert response.status_code == 302
    assert workdays.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert workdays.add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 10)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("calendar_day_delete", args=[day.pk]))
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert workdays.add_working_days(D(2026, 9, 30), 2) == D(2026, 10, 9)


def test_a_make_up_working_day_removed_moves_the_deadline(admin_client):
    day = CalendarDay.objects.get(date=D(2026, 10, 10))
    assert workdays.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    admin_client.post(reverse("calendar_day_delete", args=[day.pk]))
    assert workdays.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 12)


def test_a_holiday_on_a_weekend_is_refused_because_it_changes_nothing(admin_client):
    response = admin_client.post(
        reverse("calendar_day_add", args=[2026]),
        {"date": "2026-10-17", "kind": "holiday", "name": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "2026-10-17 是星期六，本来就是休息日" in page
    assert not CalendarDay.objects.filter(date=D(2026, 10, 17)).exists()


def test_a_make_up_working_day_on_a_weekday_is_refused(admin_client):
    response = admin_client.post(
        reverse("calendar_day_add", args=[2026]),
        {"date": "2026-10-14", "kind": "workday", "name": ""},
    )
    assert response.status_code == 200
    assert "2026-10-14 是星期三，本来就是工作日" in response.content.decode()
    assert not CalendarDay.objects.filter(date=D(2026, 10, 14)).exists()


def test_a_day_of_another_year_or_a_date_already_entered_is_refused(admin_client):
    response = admin_client.post(
        reverse("calendar_day_add", args=[2026]), {"date": "2025-12-31", "kind": "holiday"}
    )
    assert "2025-12-31 不在 2026 年内" in response.content.decode()
    response = admin_client.post(
        reverse("calendar_day_add", args=[2026]), {"date": "2026-10-01", "kind": "holiday"}
    )
    assert "2026-10-01 已登记为" in response.content.decode()
    assert CalendarDay.objects.filter(date=D(2026, 10, 1)).count() == 1


def test_renaming_a_seeded_weekend_holiday_is_allowed(admin_client):
    day = CalendarDay.objects.get(date=D(2026, 10, 3))  # Saturday inside National Day
    response = admin_client.post(
        reverse("calendar_day_edit", args=[day.pk]),
        {"date": "2026-10-03", "kind": "holiday", "name": "国庆节"},
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert day.name == "国庆节"


def test_an_empty_2027_is_created_then_edited(admin_client, carl, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: D(2026, 11, 15))
    warning = next_year_calendar_warning(D(2026, 11, 15))
    assert "2027" in warning
    assert warning in admin_client.get(reverse("city_settings")).content.decode()

    with pytest.raises(workdays.CalendarMissing):
        workdays.add_working_days(D(2026, 12, 31), 1)
    response = admin_client.post(
        reverse("calendar_year_add"), {"year": "2027", "how": "empty", "source": "国办发明电"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("calendar_year", args=[2027])
    assert CalendarYear.objects.get(year=2027).source == "国办发明电"
    assert AuditEvent.objects.get(action="calendar_year_create").actor == carl
    assert workdays.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)

    admin_client.post(
        reverse("calendar_day_add", args=[2027]), {"date": "2027-01-01", "kind": "holiday"}
    )
    assert workdays.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert warning not in admin_client.get(reverse("city_settings")).content.decode()


def test_an_existing_year_cannot_be_added_again(admin_client):
    response = admin_client.post(reverse("calendar_year_add"), {"year": "2026", "how": "empty"})
    assert response.status_code == 200
    assert "2026 年的工作日历已经存在" in response.content.decode()


def test_a_year_is_imported_from_chinese_calendar(admin_client, carl):
    CalendarDay.objects.filter(date__year=2025).delete()
    CalendarYear.objects.filter(year=2025).delete()
    workdays.clear_cache()
    assert workdays.has_calendar(2025) is False

    response = admin_client.post(reverse("calendar_year_add"), {"year": "2025", "how": "import"})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2025).source.startswith("chinese-calendar")
    national_day = CalendarDay.objects.get(date=D(2025, 10, 1))
    assert (national_day.kind, national_day.name) == (DayKind.HOLIDAY, "国庆节")
    assert CalendarDay.objects.get(date=D(2025, 10, 11)).kind == DayKind.MAKEUP_WORKDAY
    assert not CalendarDay.objects.filter(date=D(2025, 10, 4)).exists()  # a Saturday anyway
    assert workdays.add_working_days(D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert AuditEvent.objects.get(action="calendar_year_import").actor == carl


def test_importing_a_year_chinese_calendar_does_not_know_says_so(admin_client):
    unknown = max(chinese_calendar.holidays).year + 1
    response = admin_client.post(
        reverse("calendar_year_add"), {"year": str(unknown), "how": "import"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"没有 {unknown} 年的数据" in page
    assert not CalendarYear.objects.filter(year=unknown).exists()
