"""Policy settings at every level (issue 14): a bureau's administrator sets the values its level
may set, sees the others with the level that set them, leaves a value empty to inherit it,
hands values and powers to the level below, applies a preset, and a province sets up its cities.
The annual report's due day follows the enterprise's jurisdiction."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.models import ExamineeCategory
from filings.eligibility import enterprise_problems, policy_for
from portal.core.models import AuditEvent, Bureau, EnterpriseSize, Policy
from portal.core.policy import DEFAULTS, PROVINCE_ONLY, effective_policy
from portal.core.policy_fields import EXAMINEE_CATEGORIES, FIELDS
from portal.core.policy_forms import PolicyForm
from portal.core.presets import PRESETS
from supervision.annual.due import due_on_for, dues_by_district
from tests.support.factories import BureauFactory, EnterpriseFactory, FilingFactory, make_member

D = dt.date


def form_post(bureau: Bureau, **changes) -> dict:
    """What the bureau's policy form posts as rendered, with `changes` (None drops a key)."""
    row = Policy.objects.get_or_create(bureau=bureau)[0]
    form = PolicyForm(bureau=bureau, policy=effective_policy(bureau), row=row)
    data = {}
    for name, value in form.initial.items():
        if value is True:
            data[name] = "on"
        elif value is not False:
            data[name] = value
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def nanshan_admin(world):
    return make_member("nina", "district", bureau=world["nanshan"], is_admin=True)


@pytest.fixture
def province_admin(world):
    return make_member("gwen", "province", bureau=world["province"], is_admin=True)


@pytest.fixture
def beijing():
    """A municipality: a city with nobody above it."""
    return BureauFactory(code="1100", name="北京市职业技能鉴定管理中心", level="city", parent=None)


def set_by(bureau) -> str:
    return _("Set by %(bureau)s") % {"bureau": bureau.name}


# The page shows every value, who set it, and only what the level may set is editable ---------


def test_the_province_form_has_every_policy_value(client, province_admin):
    page = logged_in(client, province_admin).get(reverse("city_policy_edit")).content.decode()
    for name in DEFAULTS:
        # The materials list has a field per kind of material (required_materials__…).
        assert f'name="{name}"' in page or f'name="{name}__' in page, name
    assert 'name="delegated"' in page


def test_a_city_sees_its_own_values_and_the_portal_default_with_who_set_them(client, carl, world):
    page = logged_in(client, carl).get(reverse("city_settings")).content.decode()
    assert set_by(world["city"]) in page
    assert _("Portal default") in page  # e.g. the annual report's day, set by nobody
    assert str(FIELDS["plan_lead_working_days"].label) in page
    # Shenzhen's values cite the notice they come from (seed 001 §一(一)(2)).
    assert "§一(一)(2)" in page


def test_province_only_values_appear_only_for_a_province_or_a_municipality(
    client, carl, province_admin, beijing
):
    city_page = logged_in(client, carl).get(reverse("city_policy_edit")).content.decode()
    for name in PROVINCE_ONLY:
        assert f'name="{name}"' not in city_page
        assert str(FIELDS[name].label) not in city_page
    province_page = (
        logged_in(client, province_admin).get(reverse("city_policy_edit")).content.decode()
    )
    municipal_admin = make_member("bea", "city", bureau=beijing, is_admin=True)
    municipal_page = (
        logged_in(client, municipal_admin).get(reverse("city_policy_edit")).content.decode()
    )
    for name in PROVINCE_ONLY:
        assert f'name="{name}"' in province_page
        assert f'name="{name}"' in municipal_page


def test_a_province_only_value_posted_by_a_city_is_refused(client, carl, world):
    data = form_post(world["city"], results_province_review="yes")
    response = logged_in(client, carl).post(reverse("city_policy_edit"), data)
    assert response.status_code == 200
    label = str(FIELDS["results_province_review"].label)
    assert label in response.content.decode()
    assert Policy.objects.get(bureau=world["city"]).results_province_review is None


def test_the_examinee_categories_match_those_of_the_rosters():
    assert [(value, str(label)) for value, label in EXAMINEE_CATEGORIES] == [
        (value, str(label)) for value, label in ExamineeCategory.choices
    ]


# A district: only what the city delegates -----------------------------------------------------


def test_a_district_admin_sees_the_citys_values_read_only_with_who_set_them(
    client, nanshan_admin, world
):
    page = logged_in(client, nanshan_admin).get(reverse("city_policy_edit")).content.decode()
    # Shenzhen delegates no value to its districts (seed 000 only the window and the draws).
    assert 'name="min_insured_employees"' not in page
    assert str(FIELDS["min_insured_employees"].label) in page
    assert set_by(world["city"]) in page
    assert 'name="delegated"' not in page  # a district has no level below
    landing = client.get(reverse("city_settings"))
    assert landing.status_code == 200
    assert reverse("window_add") not in landing.content.decode()  # windows stay the city's


def test_a_value_the_city_does_not_delegate_is_refused_even_if_posted(client, nanshan_admin, world):
    data = form_post(world["nanshan"], min_insured_employees=100)
    response = logged_in(client, nanshan_admin).post(reverse("city_policy_edit"), data)
    assert response.status_code == 200
    refusal = _(
        "“%(field)s” is not delegated to %(bureau)s by the level above; it cannot be set here."
    ) % {"field": FIELDS["min_insured_employees"].label, "bureau": "南山区"}
    assert refusal in response.content.decode()
    assert effective_policy(world["nanshan"]).min_insured_employees == 300
    assert Policy.objects.get(bureau=world["nanshan"]).min_insured_employees is None


def test_a_value_the_city_delegates_is_set_by_the_district_and_left_empty_inherits(
    client, carl, nanshan_admin, world
):
    city_data = form_post(
        world["city"], delegated=["min_insured_employees", "application_windows", "random_draws"]
    )
    assert logged_in(client, carl).post(reverse("city_policy_edit"), city_data).status_code == 302
    assert Policy.objects.get(bureau=world["city"]).delegated == [
        "min_insured_employees",
        "application_windows",
        "random_draws",
    ]
    assert effective_policy(world["nanshan"]).powers == {"application_windows", "random_draws"}

    page = logged_in(client, nanshan_admin).get(reverse("city_policy_edit")).content.decode()
    assert 'name="min_insured_employees"' in page
    data = form_post(world["nanshan"], min_insured_employees=100)
    assert client.post(reverse("city_policy_edit"), data).status_code == 302
    assert effective_policy(world["nanshan"]).min_insured_employees == 100
    assert effective_policy(world["nanshan"]).source["min_insured_employees"] == world["nanshan"]
    assert effective_policy(world["futian"]).min_insured_employees == 300  # the city's, still

    # Emptied again: the district inherits the city's value.
    data = form_post(world["nanshan"], min_insured_employees="")
    assert client.post(reverse("city_policy_edit"), data).status_code == 302
    assert effective_policy(world["nanshan"]).min_insured_employees == 300


# Validation and the audit ----------------------------------------------------------------------


def test_the_annual_report_due_day_must_be_a_real_month_day_naming_the_field(client, carl, world):
    response = logged_in(client, carl).post(
        reverse("city_policy_edit"), form_post(world["city"], annual_report_due="02-30")
    )
    assert response.status_code == 200
    message = _("“%(field)s” must be a month and day that every year has, like 03-31.") % {
        "field": FIELDS["annual_report_due"].label
    }
    assert message in response.content.decode()
    assert Policy.objects.get(bureau=world["city"]).annual_report_due is None


@pytest.mark.parametrize("days", [0, 251])
def test_working_days_are_1_to_250(client, carl, world, days):
    response = logged_in(client, carl).post(
        reverse("city_policy_edit"), form_post(world["city"], publicity_working_days=days)
    )
    assert response.status_code == 200
    assert str(FIELDS["publicity_working_days"].label) in response.content.decode()
    assert Policy.objects.get(bureau=world["city"]).publicity_working_days == 5


def test_every_new_value_is_saved_and_one_audit_row_lists_before_and_after(client, carl, world):
    data = form_post(
        world["city"],
        plan_lead_working_days="",  # 10 → inherited
        min_plan_examiners=4,
        examinee_categories=["employee", "apprentice"],
        dispatched_min_months=6,
        publicity_working_days=7,
        result_filing_working_days=20,
        annual_report_due="04-30",
        filing_open_all_year="yes",
        filing_confirmation="yes",
        min_applicants=60,
    )
    assert logged_in(client, carl).post(reverse("city_policy_edit"), data).status_code == 302
    row = Policy.objects.get(bureau=world["city"])
    assert row.plan_lead_working_days is None
    assert row.min_plan_examiners == 4
    assert row.examinee_categories == ["employee", "apprentice"]
    assert (row.dispatched_min_months, row.publicity_working_days) == (6, 7)
    assert row.result_filing_working_days == 20
    assert row.annual_report_due == "04-30"
    assert row.filing_open_all_year is True and row.filing_confirmation is True
    event = AuditEvent.objects.get(action="policy_edit")
    assert event.actor == carl
    assert f"{FIELDS['min_applicants'].label}: 50 → 60" in event.note
    assert f"{FIELDS['plan_lead_working_days'].label}: 10 → {_('inherited')}" in event.note
    assert f"{FIELDS['annual_report_due'].label}: {_('inherited')} → 04-30" in event.note
    # Saving again unchanged leaves no further row.
    assert client.post(reverse("city_policy_edit"), form_post(world["city"])).status_code == 302
    assert AuditEvent.objects.filter(action="policy_edit").count() == 1


# Presets ---------------------------------------------------------------------------------------


def preset_bureau(key: str, world, beijing) -> Bureau:
    """A bureau of the preset's level: a city of 广东, a municipality, a new province."""
    if key == "beijing":
        return beijing
    if key == "shandong":
        return BureauFactory(code="37", name="山东省职业技能鉴定指导中心", level="province")
    return BureauFactory(code="4404", name="珠海市", level="city", parent=world["province"])


@pytest.mark.parametrize("key", sorted(PRESETS))
def test_each_presets_values_land_after_the_confirmation_page(client, world, beijing, key):
    bureau = preset_bureau(key, world, beijing)
    admin = make_member("adam", bureau.level, bureau=bureau, is_admin=True)
    preset = PRESETS[key]
    logged_in(client, admin)
    chosen = client.post(reverse("preset_choose"), {"preset": key})
    assert chosen["Location"] == reverse("preset_confirm", args=[key])
    confirm = client.get(reverse("preset_confirm", args=[key])).content.decode()
    name = next(iter(preset.values))
    assert str(FIELDS[name].label) in confirm  # listed among the values that will change
    assert client.post(reverse("preset_confirm", args=[key])).status_code == 302
    policy = effective_policy(bureau)
    for name, value in preset.values.items():
        assert policy.values[name] == value, name
        assert policy.source[name] == bureau
    event = AuditEvent.objects.get(action="preset_apply")
    assert event.actor == admin and str(preset.label) in event.note


def test_a_preset_of_another_level_is_not_offered(client, nanshan_admin):
    logged_in(client, nanshan_admin)
    assert client.get(reverse("preset_confirm", args=["shenzhen"])).status_code == 404
    assert client.get(reverse("preset_choose")).status_code == 200


def small_filing(enterprise):
    return FilingFactory.build(
        enterprise=enterprise, enterprise_size="small", insured_employees=500
    )


def size_refusal(size: str) -> str:
    return _("The enterprise must be of size %(size)s or larger.") % {
        "size": EnterpriseSize(size).label
    }


def test_j_fs_a_city_set_up_with_the_foshan_preset_refuses_a_small_enterprise_seed_003_s1_1(
    client, province_admin, world
):
    data = {"name": "珠海市人力资源和社会保障局", "area": "珠海市", "code": "4404"}
    response = logged_in(client, province_admin).post(
        reverse("city_add"), {**data, "preset": "foshan"}
    )
    assert response.status_code == 302
    city = Bureau.objects.get(code="4404")
    assert (city.parent, city.level) == (world["province"], "city")
    district = BureauFactory(code="440402", name="香洲区", level="district", parent=city)
    enterprise = EnterpriseFactory(district=district)
    problems = [
        str(p) for p in enterprise_problems(small_filing(enterprise), policy_for(enterprise))
    ]
    assert any(size_refusal("medium") in problem for problem in problems)
    assert AuditEvent.objects.get(action="city_add").actor == province_admin


def test_j_sz_the_shenzhen_preset_accepts_a_small_enterprise_with_500_insured_seed_001_s1(
    client, province_admin, world
):
    data = {"name": "汕头市人力资源和社会保障局", "area": "汕头市", "code": "4405"}
    logged_in(client, province_admin).post(reverse("city_add"), {**data, "preset": "shenzhen"})
    district = BureauFactory(
        code="440507", name="龙湖区", level="district", parent=Bureau.objects.get(code="4405")
    )
    enterprise = EnterpriseFactory(district=district)
    assert enterprise_problems(small_filing(enterprise), policy_for(enterprise)) == []


def test_a_city_without_a_preset_inherits_everything_and_sets_no_minimum(client, province_admin):
    data = {"name": "汕尾市人社局", "area": "汕尾市", "code": "4415", "preset": ""}
    assert logged_in(client, province_admin).post(reverse("city_add"), data).status_code == 302
    city = Bureau.objects.get(code="4415")
    assert Policy.objects.get(bureau=city).min_enterprise_size is None
    assert effective_policy(city).size_rule == ""


def test_a_city_code_already_used_or_of_another_province_is_refused_naming_the_field(
    client, province_admin
):
    logged_in(client, province_admin)
    used = client.post(reverse("city_add"), {"name": "x", "area": "x", "code": "4403"})
    assert used.status_code == 200
    assert "4403" in used.content.decode() and "深圳市" in used.content.decode()
    other = client.post(reverse("city_add"), {"name": "x", "area": "x", "code": "3709"})
    assert other.status_code == 200
    assert not Bureau.objects.filter(code="3709").exists()


def test_only_a_province_admin_sets_up_cities(client, carl, nanshan_admin):
    for user in (carl, nanshan_admin):
        assert logged_in(client, user).get(reverse("city_add")).status_code == 404


# The annual report's due day per jurisdiction --------------------------------------------------


def test_r_m4_the_annual_report_is_due_on_the_day_of_the_enterprises_city(settings, world):
    settings.ANNUAL_REPORT_DUE = "03-31"
    foshan = Policy.objects.create(bureau=world["other_city"], annual_report_due="05-31")
    shenzhen_enterprise = EnterpriseFactory(district=world["nanshan"])
    foshan_enterprise = EnterpriseFactory(district=world["shunde"])
    assert due_on_for(shenzhen_enterprise, 2027) == D(2027, 3, 31)
    assert due_on_for(foshan_enterprise, 2027) == D(2027, 5, 31)
    assert dues_by_district([world["nanshan"].pk, world["shunde"].pk], 2027) == {
        world["nanshan"].pk: D(2027, 3, 31),
        world["shunde"].pk: D(2027, 5, 31),
    }
    foshan.annual_report_due = None
    foshan.save()
    assert due_on_for(foshan_enterprise, 2027) == D(2027, 3, 31)  # back to the default


def test_a_province_saving_its_form_unchanged_records_no_change(client, province_admin, world):
    logged_in(client, province_admin)
    assert client.post(reverse("city_policy_edit"), form_post(world["province"])).status_code == 302
    assert not AuditEvent.objects.filter(action="policy_edit").exists()
    # Its cities still may set everything, the province's own routing included.
    assert effective_policy(world["city"]).settable == effective_policy(world["province"]).settable


def test_a_province_withdraws_a_value_from_its_cities(client, province_admin, carl, world):
    data = form_post(world["province"])
    data["delegated"] = [name for name in data["delegated"] if name != "min_enterprise_size"]
    data["min_enterprise_size"] = "medium"
    assert (
        logged_in(client, province_admin).post(reverse("city_policy_edit"), data).status_code == 302
    )
    # Shenzhen's own "no minimum" no longer counts: the province's rule does.
    assert effective_policy(world["city"]).size_rule == "medium"
    note = AuditEvent.objects.get(action="policy_edit").note
    assert str(FIELDS["min_enterprise_size"].label) in note
    page = logged_in(client, carl).get(reverse("city_policy_edit")).content.decode()
    assert 'name="min_enterprise_size"' not in page
    assert set_by(world["province"]) in page


def test_j_bj_the_beijing_preset_is_offered_to_a_municipality_only_seed_002(
    client, carl, province_admin, beijing
):
    logged_in(client, carl)
    assert client.get(reverse("preset_confirm", args=["beijing"])).status_code == 404
    assert 'value="beijing"' not in client.get(reverse("preset_choose")).content.decode()
    municipal_admin = make_member("bea", "city", bureau=beijing, is_admin=True)
    page = logged_in(client, municipal_admin).get(reverse("preset_choose")).content.decode()
    assert 'value="beijing"' in page and 'value="shenzhen"' not in page
    data = {"name": "x", "area": "x", "code": "4404", "preset": "beijing"}
    assert logged_in(client, province_admin).post(reverse("city_add"), data).status_code == 200
    assert not Bureau.objects.filter(code="4404").exists()


def test_r_m4_a_foshan_enterprise_is_reminded_by_foshans_due_day(settings, world):
    from supervision.reminders import rules
    from tests.support.factories import approved_filing

    today = D(2026, 3, 2)
    settings.ANNUAL_REPORT_DUE = "06-30"
    Policy.objects.create(bureau=world["other_city"], annual_report_due="03-06")
    foshan_enterprise = EnterpriseFactory(district=world["shunde"])
    shenzhen_enterprise = EnterpriseFactory(district=world["nanshan"])
    for n, enterprise in enumerate((foshan_enterprise, shenzhen_enterprise)):
        approved_filing(enterprise, f"44062025{n:04d}", approved_on=D(2025, 6, 1))
    make_member("fay", "enterprise", enterprise=foshan_enterprise)
    make_member("sue", "enterprise", enterprise=shenzhen_enterprise)

    dues = {
        d.subject_key: [u.username for u in d.recipients] for d in rules.annual_report_due(today)
    }
    assert dues == {f"annual:{foshan_enterprise.pk}:2026:2026-03-06:10d": ["fay"]}
