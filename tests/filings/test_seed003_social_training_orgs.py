"""Social training evaluation organisations (社会培训评价组织, R-M7): a second kind of institution,
chosen at registration, with its own conditions at filing (seed 003 §二(一)2: 6 years, 30,000
person-times, 6,000 per occupation, at least 30 % evaluation; §三(二): shortage occupations with
a national standard), set as Foshan's policy and "no minimum" elsewhere."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.eligibility import submission_problems
from filings.models import Enterprise, Filing, FilingScopeLine, InstitutionKind
from portal.core.models import ApplicationWindow, Policy
from portal.core.policy import effective_policy
from portal.core.presets import apply_preset
from tests.support.factories import (
    EnterpriseFactory,
    FilingFactory,
    MaterialFactory,
    OccupationFactory,
    ScopeLineFactory,
    UserFactory,
    make_member,
    valid_credit_code,
)

ELECTRICIAN = "6-31-01-03"


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def foshan(world):
    """佛山市 under its notice's preset, open for filings, 电工 on its shortage list."""
    city = world["other_city"]
    apply_preset(city, "foshan")
    Policy.objects.filter(bureau=city).update(shortage_occupations=[ELECTRICIAN])
    ApplicationWindow.objects.create(
        bureau=city, opens_on=dt.date(2000, 1, 1), closes_on=dt.date(2099, 12, 31)
    )
    return city


@pytest.fixture
def org(world, foshan):
    return EnterpriseFactory(
        name="佛山市顺德区智能制造职业培训学校",
        district=world["shunde"],
        kind=InstitutionKind.SOCIAL_TRAINING_ORG,
    )


@pytest.fixture
def tina(org):
    return make_member("tina", "enterprise", enterprise=org)


@pytest.fixture
def electrician(db):
    return OccupationFactory(code=ELECTRICIAN, name="电工")


def org_filing(org, electrician, *, line=None, **facts) -> Filing:
    """A draft meeting every condition of Foshan's preset for an organisation."""
    values = {
        "evaluating_since": today() - relativedelta(years=8),
        "training_total": 36_000,
        "evaluation_total": 12_000,
        "insured_employees": None,
        "enterprise_size": "",
        "independent_legal_person": False,
        "has_pay_linkage": False,
        "business_scope": "职业技能培训、职业技能评价",
        **facts,
    }
    filing = FilingFactory(enterprise=org, **values)
    line_values = {
        "occupation": electrician,
        "workstations": 0,
        "examiners": 2,
        "applicants": 0,
        "related_to_main_business": False,
        "training_count": 8_000,
        **(line or {}),
    }
    ScopeLineFactory(filing=filing, **line_values)
    uploader = UserFactory()
    for kind in effective_policy(org.district).required_materials:
        MaterialFactory(filing=filing, kind=kind, uploaded_by=uploader)
    return filing


def messages(filing) -> list[str]:
    return [problem.message for problem in submission_problems(filing, today())]


def test_seed003_s2_registration_offers_the_social_training_organisation_kind(client, world):
    data = {
        "kind": "S",
        "name": "佛山市顺德区智能制造职业培训学校",
        "credit_code": valid_credit_code(606060),
        "nature": "private",
        "district": world["shunde"].pk,
        "address": "佛山市顺德区大良街道培训路8号",
        "legal_representative": "何志强",
        "contact_name": "陈小玲",
        "contact_phone": "13912345678",
        "username": "sd-training",
        "email": "office@sdtraining.example.cn",
        "password1": "Peixun-2026!",
        "password2": "Peixun-2026!",
    }
    page = client.get("/register/").text
    assert 'name="kind"' in page and str(InstitutionKind.SOCIAL_TRAINING_ORG.label) in page
    response = client.post("/register/", data)
    assert response.status_code == 302
    assert Enterprise.objects.get(name=data["name"]).kind == InstitutionKind.SOCIAL_TRAINING_ORG
    # Left out, the institution is an enterprise, as before.
    del data["kind"]
    data.update(credit_code=valid_credit_code(606061), name="佛山市某制造有限公司")
    data.update(username="sd-maker")
    assert client.post("/register/", data).status_code == 302
    assert Enterprise.objects.get(name="佛山市某制造有限公司").kind == InstitutionKind.ENTERPRISE


def test_seed003_s2_1_2_an_organisation_meeting_the_conditions_has_no_problem(org, electrician):
    # No insured employees, no size, a scope of training and evaluation: those rules are the
    # enterprises' (seed 003 §一), not the organisation's.
    assert messages(org_filing(org, electrician)) == []


def test_seed003_s2_1_2_social_org_with_five_years_history_is_refused(org, electrician):
    since = today() - relativedelta(years=5)
    filing = org_filing(org, electrician, evaluating_since=since)
    expected = _(
        "At least %(min)s consecutive years of training and evaluation are required; "
        "since %(since)s that is %(n)s years."
    ) % {"min": 6, "since": since.isoformat(), "n": 5}
    assert messages(filing) == [expected]
    filing.evaluating_since = today() - relativedelta(years=6)
    filing.save(update_fields=["evaluating_since"])
    assert messages(filing) == []


def test_seed003_s2_1_2_fewer_than_30000_person_times_in_total_are_refused(org, electrician):
    filing = org_filing(org, electrician, training_total=29_999, evaluation_total=9_000)
    expected = _(
        "At least %(min)s person-times of training and evaluation in total are required; "
        "%(n)s were declared."
    ) % {"min": 30000, "n": 29999}
    assert messages(filing) == [expected]


def test_seed003_s2_1_2_fewer_than_6000_in_an_occupation_are_refused(org, electrician):
    filing = org_filing(org, electrician, line={"training_count": 5_999})
    reason = _(
        "at least %(min)s person-times of training and evaluation in this occupation are "
        "required; %(n)s were declared."
    ) % {"min": 6000, "n": 5999}
    assert messages(filing) == [f"{ELECTRICIAN} 电工: {reason}"]


def test_seed003_s2_1_2_evaluation_under_30_percent_is_refused(org, electrician):
    filing = org_filing(org, electrician, training_total=30_000, evaluation_total=8_999)
    expected = _(
        "Evaluation must be at least %(min)s%% of the training and evaluation "
        "person-times; %(evaluated)s of %(total)s is %(share)s%%."
    ) % {"min": 30, "evaluated": 8999, "total": 30000, "share": "30.0"}
    assert messages(filing) == [expected]
    filing.evaluation_total = 9_000
    filing.save(update_fields=["evaluation_total"])
    assert messages(filing) == []


def test_seed003_s3_2_an_occupation_off_the_shortage_list_is_refused(org, electrician):
    turner = OccupationFactory(code="6-18-01-01", name="车工")
    filing = org_filing(org, electrician)
    ScopeLineFactory(
        filing=filing, occupation=turner, training_count=7_000, standard_type="industry"
    )
    reason = _(
        "only the shortage occupations the city publishes may be filed; "
        "%(code)s is not on the list of %(city)s."
    ) % {"code": "6-18-01-01", "city": "佛山市"}
    standard = _("the occupation needs a national occupational skill standard.")
    assert messages(filing) == [f"6-18-01-01 车工: {reason}", f"6-18-01-01 车工: {standard}"]


def test_seed003_s2_elsewhere_the_default_is_no_minimum(world, electrician):
    # 南山区 (Shenzhen): its notice states no condition for organisations.
    org = EnterpriseFactory(district=world["nanshan"], kind=InstitutionKind.SOCIAL_TRAINING_ORG)
    filing = org_filing(
        org,
        electrician,
        evaluating_since=today() - relativedelta(months=3),
        training_total=100,
        evaluation_total=10,
        line={"training_count": 50},
    )
    assert messages(filing) == []


def test_seed003_s2_the_foshan_preset_carries_the_conditions_with_their_source(
    client, foshan, world
):
    policy = effective_policy(world["shunde"])
    assert (
        policy.org_min_history_years,
        policy.org_min_training_total,
        policy.org_min_occupation_training,
        policy.org_min_evaluation_percent,
        policy.org_shortage_occupations_only,
    ) == (6, 30_000, 6_000, 30, True)
    admin = make_member("fiona", "city", bureau=foshan, is_admin=True)
    client.force_login(admin)
    page = client.get(reverse("city_policy_edit")).text
    assert 'name="org_min_training_total"' in page and 'value="30000"' in page
    assert "§二(一)2" in page and "§三(二)" in page


def test_seed003_s2_the_filing_form_of_an_organisation_asks_for_its_own_figures(client, tina, org):
    client.force_login(tina)
    page = client.get("/filings/new/").text
    assert 'name="training_total"' in page and 'name="evaluating_since"' in page
    assert 'name="insured_employees"' not in page and 'name="enterprise_size"' not in page
    data = {
        "business_scope": "职业技能培训",
        "good_credit": "on",
        "has_dedicated_staff": "on",
        "evaluating_since": "2016-03-01",
        "training_total": "30000",
        "evaluation_total": "31000",
        "situation": "培训评价中心",
        # Seed 004 附件1: the form's basic information, asked of every institution.
        "registration_authority": "佛山市顺德区市场监督管理局",
        "principal_name": "李明",
        "principal_title": "校长",
        "principal_phone": "0757-22223333",
        "contact_title": "办公室主任",
        "contact_mobile": "13800138000",
        "filled_in_by": "王芳",
        "filler_phone": "0757-22223333",
    }
    response = client.post("/filings/new/", data)
    assert response.status_code == 200
    expected = _(
        "The evaluation person-times (%(evaluated)s) cannot exceed the training and "
        "evaluation person-times in total (%(total)s)."
    ) % {"evaluated": 31000, "total": 30000}
    assert expected in response.text
    assert 'value="31000"' in response.text  # what was typed is kept
    data["evaluation_total"] = "12000"
    response = client.post("/filings/new/", data, follow=True)
    filing = Filing.objects.get(enterprise=org)
    assert (filing.training_total, filing.evaluation_total) == (30000, 12000)
    assert filing.evaluating_since == dt.date(2016, 3, 1)
    assert str(InstitutionKind.SOCIAL_TRAINING_ORG.label) in response.text


def test_seed003_s2_1_2_a_refused_submission_names_the_figure_on_the_page(
    client, tina, org, electrician
):
    filing = org_filing(org, electrician, training_total=20_000, evaluation_total=9_000)
    client.force_login(tina)
    page = client.get(f"/filings/{filing.pk}/").text
    expected = _(
        "At least %(min)s person-times of training and evaluation in total are required; "
        "%(n)s were declared."
    ) % {"min": 30000, "n": 20000}
    assert expected in page
    response = client.post(
        f"/filings/{filing.pk}/submit/", {"version": filing.version}, follow=True
    )
    assert expected in response.text
    filing.refresh_from_db()
    assert filing.status == "draft"


def test_seed003_s2_an_organisation_adds_a_line_with_its_person_times(
    client, tina, org, electrician
):
    filing = org_filing(org, electrician)
    FilingScopeLine.objects.filter(filing=filing).delete()
    client.force_login(tina)
    page = client.get(f"/filings/{filing.pk}/lines/new/").text
    assert 'name="training_count"' in page and 'name="applicants"' not in page
    filing.refresh_from_db()
    response = client.post(
        f"/filings/{filing.pk}/lines/new/",
        {
            "occupation": electrician.pk,
            "levels": ["5", "4"],
            "standard_type": "national",
            "examiners": "3",
            "training_count": "6500",
            "version": str(filing.version),
        },
        follow=True,
    )
    assert response.status_code == 200
    assert FilingScopeLine.objects.get(filing=filing).training_count == 6500
    assert "<td>6500</td>" in response.text


def test_seed003_s3_2_the_city_enters_its_shortage_occupations_as_codes(client, foshan):
    from tests.core.test_policy_settings import form_post

    admin = make_member("fiona", "city", bureau=foshan, is_admin=True)
    client.force_login(admin)
    url = reverse("city_policy_edit")
    response = client.post(url, form_post(foshan, shortage_occupations="6-31-01-03、电工"))
    assert response.status_code == 200
    label = _("Shortage occupations published by the city (occupation codes)")
    expected = _("“%(field)s”: %(values)s is not an occupation code like 6-18-01-01.") % {
        "field": label,
        "values": "电工",
    }
    assert expected in response.text
    assert "6-31-01-03、电工" in response.text  # what was typed is kept
    response = client.post(url, form_post(foshan, shortage_occupations="6-31-01-03，6-18-01-01"))
    assert response.status_code == 302
    assert effective_policy(foshan).shortage_occupations == ["6-31-01-03", "6-18-01-01"]
