"""Who administers an enterprise (R-F5: 区属, 市属 as in Beijing seed 002 §六(一), 省属 as in
Shandong seed 004 §二(一)) and the provincial pilot list (R-F6: no on-site evaluation), set on a
page by the policy administrator of the enterprise's city or province, audited before → after."""

import pytest
from django.urls import reverse

from filings.models import AdministrationLevel
from portal.core.models import AuditEvent
from tests.support.factories import EnterpriseFactory, make_member


def url(enterprise) -> str:
    return reverse("enterprise_administration", args=[enterprise.pk])


def post(enterprise, **changes) -> dict:
    data = {
        "administration_level": enterprise.administration_level,
        "was_level": enterprise.administration_level,
        "was_pilot": "1" if enterprise.on_pilot_list else "",
    }
    if enterprise.on_pilot_list:
        data["on_pilot_list"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def guangdong_admin(world):
    return make_member("gd", "province", bureau=world["province"], is_admin=True)


def test_r_f6_the_city_puts_an_enterprise_on_the_pilot_list_audited(client, carl, ent_a):
    client.force_login(carl)
    page = client.get(reverse("enterprise_detail", args=[ent_a.pk])).text
    assert url(ent_a) in page and "区属企业" in page
    response = client.post(url(ent_a), post(ent_a, on_pilot_list="on"))
    assert response.status_code == 302
    ent_a.refresh_from_db()
    assert ent_a.on_pilot_list
    event = AuditEvent.objects.get(action="administration_edit")
    assert event.actor == carl and event.object_id == ent_a.pk
    assert event.note == "列入省级试点名单: 否 → 是"
    page = client.get(response["Location"]).text
    assert "列入省级试点名单：否 → 是" in page


def test_j_bj_the_city_makes_an_enterprise_city_administered_seed_002_s6_1(client, carl, ent_a):
    client.force_login(carl)
    client.post(url(ent_a), post(ent_a, administration_level="city"))
    ent_a.refresh_from_db()
    assert ent_a.administration_level == AdministrationLevel.CITY
    assert (
        AuditEvent.objects.get(action="administration_edit").note == "管理层级: 区属企业 → 市属企业"
    )
    assert "市属企业" in client.get(reverse("enterprise_detail", args=[ent_a.pk])).text


def test_a_city_may_not_make_an_enterprise_province_administered(client, carl, ent_a):
    client.force_login(carl)
    page = client.get(url(ent_a)).text
    assert 'value="province"' not in page
    response = client.post(url(ent_a), post(ent_a, administration_level="province"))
    assert response.status_code == 200
    assert "“管理层级”：深圳市只能选择区属企业、市属企业。" in response.text
    ent_a.refresh_from_db()
    assert ent_a.administration_level == AdministrationLevel.DISTRICT


def test_j_sd_the_province_makes_an_enterprise_province_administered_seed_004_s2_1(
    client, guangdong_admin, ent_a
):
    client.force_login(guangdong_admin)
    response = client.post(url(ent_a), post(ent_a, administration_level="province"))
    assert response.status_code == 302
    ent_a.refresh_from_db()
    assert ent_a.administration_level == AdministrationLevel.PROVINCE
    assert "省属企业" in AuditEvent.objects.get(action="administration_edit").note


def test_a_city_keeps_a_province_administered_enterprise_as_the_province_set_it(
    client, carl, ent_a
):
    ent_a.administration_level = AdministrationLevel.PROVINCE
    ent_a.save()
    client.force_login(carl)
    assert "省属企业只能由省级部门变更管理层级" in client.get(url(ent_a)).text
    response = client.post(url(ent_a), post(ent_a, administration_level="city", on_pilot_list="on"))
    assert response.status_code == 302
    ent_a.refresh_from_db()
    assert ent_a.administration_level == AdministrationLevel.PROVINCE and ent_a.on_pilot_list


def test_a_change_made_meanwhile_is_not_overwritten(client, carl, ent_a):
    client.force_login(carl)
    seen = post(ent_a, administration_level="city")
    ent_a.on_pilot_list = True
    ent_a.save()
    response = client.post(url(ent_a), seen)
    assert response.status_code == 200
    assert "南山精密机械有限公司的管理设置刚被他人修改：列入省级试点名单：是" in response.text
    ent_a.refresh_from_db()
    assert ent_a.administration_level == AdministrationLevel.DISTRICT
    assert not AuditEvent.objects.filter(action="administration_edit").exists()
    # Saving again, knowingly, goes through.
    response = client.post(url(ent_a), post(ent_a, administration_level="city"))
    assert response.status_code == 302


def test_the_page_is_scoped_to_the_citys_enterprises(client, world, ent_a):
    """佛山's administrator, 深圳's reviewers who are not admins, the district and the operator:
    a 404, and nothing changes."""
    other = EnterpriseFactory(district=world["shunde"])
    people = [
        make_member("otto", "city", bureau=world["other_city"], is_admin=True),
        make_member("cora", "city", bureau=world["city"]),
        make_member("dana", "district", bureau=world["nanshan"], is_admin=True),
        make_member("alic", "enterprise", enterprise=ent_a),
    ]
    for person in people:
        client.force_login(person)
        assert client.get(url(ent_a)).status_code == 404, person
        assert client.post(url(ent_a), post(ent_a, on_pilot_list="on")).status_code == 404
    client.force_login(make_member("carla", "city", bureau=world["city"], is_admin=True))
    assert client.get(url(other)).status_code == 404
    ent_a.refresh_from_db()
    assert not ent_a.on_pilot_list


def test_another_provinces_administrator_gets_a_404(client, ent_a):
    from tests.support.factories import BureauFactory

    shandong = BureauFactory(code="37", name="山东省", level="province")
    client.force_login(make_member("sd", "province", bureau=shandong, is_admin=True))
    assert client.get(url(ent_a)).status_code == 404
