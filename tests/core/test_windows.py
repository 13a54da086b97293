"""Application windows (R-F4) as each jurisdiction runs them: on dates, every year on the same
days (Beijing, seed 002 §五), all year (Shandong, seed 004 §二(一)), and a district's own window
inside its city's (Pingshan in Shenzhen, seed 000 §四). Only the policy administrator of the
bureau keeps its windows; a district only where its city delegated them."""

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from portal.core.models import ApplicationWindow, AuditEvent, WindowRepeat
from portal.core.presets import apply_preset
from portal.core.windows import window_status
from tests.support.factories import (
    BureauFactory,
    EnterpriseFactory,
    complete_filing,
    make_member,
)

D = dt.date


def on_day(day: dt.date):
    """The portal's today pinned to `day`."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


@pytest.fixture
def admin_client(client, carl):
    client.force_login(carl)
    return client


@pytest.fixture
def shenzhen_window(world):
    return ApplicationWindow.objects.get(bureau=world["city"])


@pytest.fixture
def beijing(db):
    """北京市, a municipality, with its preset: two yearly windows (seed 002 §五)."""
    city = BureauFactory(code="11", name="北京市职业技能鉴定管理中心", area="北京市", level="city")
    district = BureauFactory(code="110105", name="朝阳区人力资源局", level="district", parent=city)
    apply_preset(city, "beijing")
    return {"city": city, "district": district}


@pytest.fixture
def shandong(db):
    """山东省 with its preset (open all year, seed 004 §二(一)), 泰安市 and 泰山区."""
    province = BureauFactory(code="37", name="山东省职业技能鉴定指导中心", level="province")
    city = BureauFactory(
        code="3709", name="泰安市职业技能鉴定指导中心", level="city", parent=province
    )
    district = BureauFactory(code="370902", name="泰山区人力资源局", level="district", parent=city)
    apply_preset(province, "shandong")
    return {"province": province, "city": city, "district": district}


@pytest.fixture
def pingshan(world):
    """坪山区 under 深圳市, whose preset delegates application windows (seed 000 §四)."""
    return BureauFactory(
        code="440310", name="坪山区人力资源局", level="district", parent=world["city"]
    )


@pytest.fixture
def pingshan_client(client, pingshan):
    client.force_login(make_member("peng", "district", bureau=pingshan, is_admin=True))
    return client


# Adding, changing, deleting ------------------------------------------------------------------


def test_r_f4_it_adds_a_window_on_dates(admin_client, world, carl):
    response = admin_client.post(
        reverse("window_add"),
        {"name": "2100年第一批", "opens_on": "2100-05-01", "closes_on": "2100-05-31"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("window_list")
    window = ApplicationWindow.objects.get(name="2100年第一批")
    assert (window.bureau, window.repeat, window.opens_on, window.closes_on) == (
        world["city"],
        WindowRepeat.ONCE,
        D(2100, 5, 1),
        D(2100, 5, 31),
    )
    event = AuditEvent.objects.get(action="window_add")
    assert event.actor == carl and "2100-05-01 – 2100-05-31" in event.note
    assert "2100-05-31" in admin_client.get(reverse("city_settings")).text


def test_r_f4_closes_on_before_opens_on_is_refused_naming_the_field(admin_client):
    response = admin_client.post(
        reverse("window_add"), {"opens_on": "2100-05-31", "closes_on": "2100-05-01"}
    )
    assert response.status_code == 200
    assert "“截止日期”（2100-05-01）不得早于“开始日期”（2100-05-31）" in response.text
    assert not ApplicationWindow.objects.filter(opens_on=D(2100, 5, 31)).exists()


def test_r_f4_a_window_on_dates_without_its_dates_is_refused_naming_the_fields(admin_client):
    response = admin_client.post(reverse("window_add"), {"repeat": "once"})
    assert "请填写“开始日期”。" in response.text and "请填写“截止日期”。" in response.text


def test_r_f4_overlapping_windows_are_refused_naming_the_other(admin_client, shenzhen_window):
    response = admin_client.post(
        reverse("window_add"), {"opens_on": "2099-12-01", "closes_on": "2100-01-31"}
    )
    assert response.status_code == 200
    assert (
        "受理期 2099-12-01 – 2100-01-31 与已有的受理期 2000-01-01 – 2099-12-31 重叠："
        "深圳市的受理期不得重叠。" in response.text
    )
    assert ApplicationWindow.objects.count() == 1


def test_r_f4_it_edits_a_window_without_overlapping_itself(admin_client, shenzhen_window, carl):
    page = admin_client.get(reverse("window_edit", args=[shenzhen_window.pk])).text
    assert 'value="2000-01-01"' in page
    response = admin_client.post(
        reverse("window_edit", args=[shenzhen_window.pk]),
        {"name": "常年受理", "repeat": "once", "opens_on": "2001-01-01", "closes_on": "2099-12-31"},
    )
    assert response.status_code == 302
    shenzhen_window.refresh_from_db()
    assert (shenzhen_window.name, shenzhen_window.opens_on) == ("常年受理", D(2001, 1, 1))
    note = AuditEvent.objects.get(action="window_edit").note
    assert note == "2000-01-01 – 2099-12-31 → 常年受理（2001-01-01 – 2099-12-31）"


def test_r_f4_it_deletes_a_window(admin_client, shenzhen_window, carl):
    page = admin_client.get(reverse("window_delete", args=[shenzhen_window.pk])).text
    assert "2000-01-01 – 2099-12-31" in page
    response = admin_client.post(reverse("window_delete", args=[shenzhen_window.pk]))
    assert response.status_code == 302
    assert not ApplicationWindow.objects.exists()
    assert AuditEvent.objects.get(action="window_delete").actor == carl
    assert "尚未设置受理期" in admin_client.get(reverse("window_list")).text


# Yearly windows (J-BJ) -----------------------------------------------------------------------


def test_j_bj_yearly_windows_repeat_next_year_seed_002_s5(client, beijing):
    """By end of May and by end of October every year: after 10-31 the next window is the
    first of next year, without anyone typing next year's dates."""
    windows = list(ApplicationWindow.objects.filter(bureau=beijing["city"]))
    assert {w.repeat for w in windows} == {WindowRepeat.YEARLY}
    status = window_status(beijing["district"], D(2026, 11, 15))
    assert status["bureau"] == beijing["city"] and status["open"] is None
    assert status["next"] == (D(2027, 1, 1), D(2027, 5, 31))
    assert window_status(beijing["district"], D(2027, 9, 1))["open"] == (
        D(2027, 6, 1),
        D(2027, 10, 31),
    )
    client.force_login(make_member("bj", "city", bureau=beijing["city"], is_admin=True))
    with on_day(D(2026, 11, 15)):
        page = client.get(reverse("window_list")).text
    assert "每年 01-01 – 05-31" in page and "每年 06-01 – 10-31" in page
    assert "2027-01-01 – 2027-05-31" in page and "2027-01-01开始受理" in page


def test_j_bj_a_yearly_window_is_entered_as_month_and_day_seed_002_s5(client, world, carl):
    ApplicationWindow.objects.filter(bureau=world["city"]).delete()
    client.force_login(carl)
    response = client.post(
        reverse("window_add"),
        {"name": "下半年", "repeat": "yearly", "opens_md": "06-01", "closes_md": "10-31"},
    )
    assert response.status_code == 302
    window = ApplicationWindow.objects.get(bureau=world["city"])
    assert (window.repeat, window.opens_on, window.closes_on) == (
        WindowRepeat.YEARLY,
        D(2000, 6, 1),
        D(2000, 10, 31),
    )
    assert "每年 06-01 – 10-31" in AuditEvent.objects.get(action="window_add").note
    with on_day(D(2026, 7, 1)):
        page = client.get(reverse("window_list")).text
    assert "受理中，2026-10-31截止" in page
    page = client.get(reverse("window_edit", args=[window.pk])).text
    assert 'value="06-01"' in page and 'value="10-31"' in page


def test_j_bj_a_month_day_is_checked_naming_the_field(admin_client):
    response = admin_client.post(
        reverse("window_add"), {"repeat": "yearly", "opens_md": "13-01", "closes_md": ""}
    )
    assert "“每年开始日（月-日）”须按“月-日”填写，例如 05-31；“13-01”不符合。" in response.text
    assert "请填写“每年截止日（月-日）”。" in response.text


def test_j_bj_a_yearly_window_over_new_year_is_refused(admin_client, world):
    ApplicationWindow.objects.filter(bureau=world["city"]).delete()
    response = admin_client.post(
        reverse("window_add"), {"repeat": "yearly", "opens_md": "11-16", "closes_md": "01-15"}
    )
    assert "每年重复的受理期必须在同一年内开始和截止" in response.text
    assert not ApplicationWindow.objects.exists()


def test_j_bj_a_dated_window_overlapping_a_yearly_one_is_refused_naming_it(client, beijing):
    client.force_login(make_member("bj", "city", bureau=beijing["city"], is_admin=True))
    response = client.post(
        reverse("window_add"), {"opens_on": "2027-12-01", "closes_on": "2028-01-10"}
    )
    assert (
        "受理期 2027-12-01 – 2028-01-10 与已有的受理期 上半年申请（5月底前）（每年 01-01 – 05-31） "
        "重叠" in response.text
    )
    # Between the two yearly windows' days there is no room in any year.
    response = client.post(
        reverse("window_add"), {"repeat": "yearly", "opens_md": "11-01", "closes_md": "12-31"}
    )
    assert response.status_code == 302


# Open all year (J-SD) ------------------------------------------------------------------------


def test_j_sd_filing_is_open_all_year_seed_004_s2_1(client, shandong):
    enterprise = EnterpriseFactory(district=shandong["district"])
    assert window_status(shandong["district"], D(2026, 8, 8)) == {"all_year": True}
    operator = make_member("sd", "enterprise", enterprise=enterprise)
    client.force_login(operator)
    assert "备案申请全年受理" in client.get(reverse("filing_create")).text
    assert "备案申请全年受理" in client.get(reverse("dashboard")).text
    filing = complete_filing(enterprise, uploaded_by=operator)
    page = client.get(reverse("filing_detail", args=[filing.pk])).text
    assert "备案申请全年受理" in page and "R-F4" not in page


def test_j_sd_the_windows_page_says_the_province_accepts_all_year_seed_004_s2_1(client, shandong):
    client.force_login(make_member("sdadm", "province", bureau=shandong["province"], is_admin=True))
    page = client.get(reverse("window_list")).text
    assert "备案申请全年受理（政策设置）" in page


# A district's own window (J-SZ) --------------------------------------------------------------


def test_j_sz_pingshan_keeps_its_window_inside_shenzhens_seed_000_s4(
    pingshan_client, world, pingshan
):
    ApplicationWindow.objects.filter(bureau=world["city"]).update(
        opens_on=D(2021, 11, 1), closes_on=D(2021, 12, 31)
    )
    page = pingshan_client.get(reverse("window_add")).text
    assert "深圳市的受理期： 2021-11-01 – 2021-12-31" in page
    response = pingshan_client.post(
        reverse("window_add"),
        {"name": "集中受理", "opens_on": "2021-11-16", "closes_on": "2021-12-30"},
    )
    assert response.status_code == 302
    window = ApplicationWindow.objects.get(bureau=pingshan)
    assert (window.opens_on, window.closes_on) == (D(2021, 11, 16), D(2021, 12, 30))
    assert AuditEvent.objects.get(action="window_add").object_id == pingshan.pk
    status = window_status(pingshan, D(2021, 11, 10))
    assert status["bureau"] == pingshan and status["next"] == (D(2021, 11, 16), D(2021, 12, 30))
    # Nanshan, without windows of its own, keeps Shenzhen's.
    assert window_status(world["nanshan"], D(2021, 11, 10))["bureau"] == world["city"]


def test_j_sz_a_pingshan_window_outside_shenzhens_is_refused_seed_000_s4(
    pingshan_client, world, pingshan
):
    ApplicationWindow.objects.filter(bureau=world["city"]).update(
        opens_on=D(2021, 11, 1), closes_on=D(2021, 12, 31)
    )
    response = pingshan_client.post(
        reverse("window_add"), {"opens_on": "2021-12-16", "closes_on": "2022-01-10"}
    )
    assert (
        "受理期 2021-12-16 – 2022-01-10 不在深圳市的任何受理期（2021-11-01 – 2021-12-31）之内"
        in response.text
    )
    assert not ApplicationWindow.objects.filter(bureau=pingshan).exists()


def test_j_sz_a_pingshan_enterprise_is_told_pingshans_window_seed_000_s4(client, world, pingshan):
    today = D(2026, 11, 20)
    ApplicationWindow.objects.create(
        bureau=pingshan, opens_on=D(2026, 11, 16), closes_on=D(2026, 12, 30)
    )
    enterprise = EnterpriseFactory(district=pingshan)
    operator = make_member("ps", "enterprise", enterprise=enterprise)
    client.force_login(operator)
    filing = complete_filing(enterprise, uploaded_by=operator)
    with on_day(today):
        desk = client.get(reverse("dashboard")).text
        page = client.get(reverse("filing_detail", args=[filing.pk])).text
    expected = "坪山区人力资源局正在受理备案申请，本期受理至2026-12-30截止。"
    assert expected in desk and expected in page
    with on_day(D(2027, 1, 5)):
        page = client.get(reverse("filing_detail", args=[filing.pk])).text
    assert "坪山区人力资源局仅在受理期内接受备案申请，下一受理期尚未公布。" in page
    assert page.count("下一受理期尚未公布") == 1


def test_a_district_without_delegation_gets_a_404(client, world):
    """佛山 delegates nothing: its district's administrator has no windows page."""
    shunde_admin = make_member("shun", "district", bureau=world["shunde"], is_admin=True)
    client.force_login(shunde_admin)
    window = ApplicationWindow.objects.create(
        bureau=world["shunde"], opens_on=D(2030, 1, 1), closes_on=D(2030, 1, 31)
    )
    for url in (
        reverse("window_list"),
        reverse("window_add"),
        reverse("window_edit", args=[window.pk]),
        reverse("window_delete", args=[window.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert (
            client.post(url, {"opens_on": "2030-02-01", "closes_on": "2030-02-02"}).status_code
            == 404
        )
    assert ApplicationWindow.objects.filter(bureau=world["shunde"]).count() == 1


def test_a_district_reviewer_who_is_not_admin_gets_a_404(client, pingshan):
    client.force_login(make_member("pr", "district", bureau=pingshan))
    assert client.get(reverse("window_list")).status_code == 404


def test_a_city_admin_cannot_reach_a_districts_window(admin_client, pingshan):
    window = ApplicationWindow.objects.create(
        bureau=pingshan, opens_on=D(2030, 1, 1), closes_on=D(2030, 1, 31)
    )
    assert admin_client.get(reverse("window_edit", args=[window.pk])).status_code == 404
    admin_client.post(reverse("window_delete", args=[window.pk]))
    assert ApplicationWindow.objects.filter(pk=window.pk).exists()


def test_the_windows_page_names_whose_windows_apply_until_the_district_sets_its_own(
    pingshan_client,
):
    page = pingshan_client.get(reverse("window_list")).text
    assert "本辖区企业目前按深圳市的受理期申报。" in page


def test_j_sz_shenzhen_sees_pingshans_window_and_whether_it_lies_inside_seed_000_s4(
    admin_client, world, pingshan
):
    ApplicationWindow.objects.create(
        bureau=pingshan, name="集中受理", opens_on=D(2021, 11, 16), closes_on=D(2021, 12, 30)
    )
    page = admin_client.get(reverse("window_list")).text
    assert "坪山区人力资源局" in page and "集中受理（2021-11-16 – 2021-12-30）" in page
    assert "不在本市受理期内" not in page
    ApplicationWindow.objects.filter(bureau=world["city"]).update(opens_on=D(2022, 1, 1))
    assert "不在本市受理期内" in admin_client.get(reverse("window_list")).text
