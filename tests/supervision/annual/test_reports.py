"""R-M4: the enterprise's year-start summary and plan; the bureaus' list with the missing ones."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils import timezone

from portal.core.errors import ServiceError, StaleEdit
from portal.env import check_month_day
from supervision.annual.due import annual_due_on
from supervision.annual.services import annual_report_save
from supervision.models import AnnualReport
from tests.certificates.factories import issued_batch
from tests.supervision.annual.helpers import long_valid_filing
from tests.support.factories import EnterpriseFactory

DATA = {"summary": "上年度认定2批次", "plan": "本年度认定3批次", "planned_examinees": 120}


def _filed(enterprise, approved_on=dt.date(2024, 1, 10)):
    return long_valid_filing(enterprise, approved_on=approved_on)


@pytest.mark.parametrize("value", ["3-31", "02-29", "13-01", "04-31", "", "03/31"])
def test_r_m4_bad_due_setting_fails_naming_the_variable(value):
    with pytest.raises(ImproperlyConfigured, match="ANNUAL_REPORT_DUE"):
        check_month_day("ANNUAL_REPORT_DUE", value)


def test_r_m4_due_date_comes_from_the_setting(settings):
    settings.ANNUAL_REPORT_DUE = "04-15"
    assert annual_due_on(2027) == dt.date(2027, 4, 15)


def _save(enterprise, actor, data, version, *, submit, today) -> AnnualReport:
    """The enterprise's report for the year of `today`, saved (and submitted if `submit`)."""
    return annual_report_save(
        enterprise=enterprise,
        actor=actor,
        year=today.year,
        data=data,
        expected_version=version,
        submit=submit,
        today=today,
    )


def test_r_m4_submit_snapshots_last_years_figures_and_is_final(ent_a, alice):
    _filed(ent_a)
    issued_batch(ent_a, alice, "passed", "passed", "failed", issued_on=dt.date(2026, 11, 20))

    def save(data: dict, version: int, *, submit: bool) -> AnnualReport:
        return _save(ent_a, alice, data, version, submit=submit, today=dt.date(2027, 2, 1))

    draft = save({**DATA, "plan": ""}, 0, submit=False)
    assert draft.status == "draft" and draft.due_on == dt.date(2027, 3, 31)
    with pytest.raises(ServiceError) as refusal:
        save({**DATA, "plan": ""}, draft.version, submit=True)
    assert any("本年度认定计划" in p for p in refusal.value.problems)
    with pytest.raises(StaleEdit):
        save(DATA, draft.version - 1, submit=True)
    report = save(DATA, draft.version, submit=True)
    assert report.status == "submitted" and report.submitted_by == alice
    assert report.figures == {
        "year": 2026,
        "plans_acknowledged": 1,
        "sessions_held": 1,
        "examinees": 3,
        "passed": 2,
        "certificates_issued": 2,
    }
    with pytest.raises(ServiceError):
        save(DATA, report.version, submit=False)


def test_r_m4_enterprise_page_saves_a_draft_then_submits(client, ent_a, alice):
    _filed(ent_a)
    client.force_login(alice)
    url = reverse("annual_report_mine")
    page = client.get(url).content.decode()
    assert "年度总结与计划" in page and "组织考核场次" in page
    client.post(url, {**DATA, "planned_examinees": "", "version": 0, "save": "1"})
    report = AnnualReport.objects.get(enterprise=ent_a)
    assert report.status == "draft" and report.summary == DATA["summary"]
    # Bad input keeps what was typed and names the field.
    response = client.post(url, {**DATA, "planned_examinees": "-3", "version": report.version})
    assert (
        "不能为负数" in response.content.decode() and "本年度认定3批次" in response.content.decode()
    )
    client.post(url, {**DATA, "version": report.version, "submit": "1"})
    report.refresh_from_db()
    assert report.status == "submitted" and report.planned_examinees == 120


def test_r_m4_unfiled_enterprise_is_told_it_has_nothing_to_report(client, ent_a, alice):
    client.force_login(alice)
    page = client.get(reverse("annual_report_mine")).content.decode()
    assert "只有备案有效的企业需要报送年度总结与计划" in page


def test_r_m4_bureau_list_shows_missing_reports_overdue_after_due_date(
    client, world, ent_a, ent_b, alice, carl, dora
):
    _filed(ent_a)
    _filed(ent_b)
    year = timezone.localdate().year
    _save(ent_a, alice, DATA, 0, submit=True, today=timezone.localdate())
    client.force_login(carl)
    page = client.get(reverse("annual_report_list") + f"?year={year}").content.decode()
    assert ent_a.name in page and ent_b.name in page and "未填写" in page
    overdue = timezone.localdate() > annual_due_on(year)
    assert ('class="overdue"' in page) == overdue
    client.force_login(dora)
    page = client.get(reverse("annual_report_list") + f"?year={year}").content.decode()
    assert ent_a.name in page and ent_b.name not in page
    other = EnterpriseFactory(district=world["nanshan"])
    assert other.name not in page  # not filed: nothing to report
