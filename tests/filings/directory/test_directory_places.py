"""The public directory filters by province, city and district, each list following the one
above it (issue 14: the public pages per jurisdiction), without JavaScript: the choices follow
the GET parameters sent. Every entry shows its city. A bad value is a Chinese message naming
the field, never a server error."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from portal.core.presets import apply_preset
from tests.support.factories import BureauFactory, EnterpriseFactory, approved_filing

URL = "/directory/"


@pytest.fixture
def places(world):
    shandong = BureauFactory(
        code="37", name="山东省职业技能鉴定指导中心", area="山东省", level="province"
    )
    apply_preset(shandong, "shandong")
    taian = BureauFactory(
        code="3709", area="泰安市", name="泰安市中心", level="city", parent=shandong
    )
    taishan = BureauFactory(code="370902", area="泰山区", level="district", parent=taian)
    beijing = BureauFactory(code="11", area="北京市", name="北京市鉴定管理中心", level="city")
    chaoyang = BureauFactory(code="110105", area="朝阳区", level="district", parent=beijing)
    today = timezone.localdate()
    for n, (district, name) in enumerate(
        [
            (world["nanshan"], "南山精密机械有限公司"),
            (world["shunde"], "顺德家电制造有限公司"),
            (taishan, "泰安输变电设备有限公司"),
            (chaoyang, "北京朝阳电气有限公司"),
        ]
    ):
        approved_filing(
            EnterpriseFactory(name=name, district=district),
            f"99202500{n:04d}",
            approved_on=today - dt.timedelta(days=30),
            valid_until=today + dt.timedelta(days=1000),
        )
    return {**world, "shandong": shandong, "taian": taian, "taishan": taishan,
            "beijing": beijing, "chaoyang": chaoyang}  # fmt: skip


def text(client, **params) -> str:
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def _select(page: str, name: str) -> str:
    start = page.index(f'name="{name}"')
    return page[start : page.index("</select>", start)]


def test_the_directory_shows_each_enterprises_city(client, places):
    page = text(client)
    row = page[page.index("顺德家电制造有限公司") :]
    row = row[: row.index("</tr>")]
    assert ">佛山市</td>" in row and ">顺德区</td>" in row
    for name in ("山东省", "北京市", "广东省"):
        assert name in _select(page, "province")


def test_filter_by_province_narrows_the_cities_and_districts_offered(client, places):
    page = text(client, province=places["shandong"].pk)
    assert "泰安输变电设备有限公司" in page
    assert "南山精密机械有限公司" not in page and "北京朝阳电气有限公司" not in page
    assert "泰安市" in _select(page, "city") and "深圳市" not in _select(page, "city")
    districts = _select(page, "district")
    assert "泰山区" in districts and "南山区" not in districts


def test_filter_by_city_narrows_the_districts_offered(client, places):
    page = text(client, province=places["province"].pk, city=places["other_city"].pk)
    assert "顺德家电制造有限公司" in page and "南山精密机械有限公司" not in page
    assert "顺德区" in _select(page, "district") and "南山区" not in _select(page, "district")
    assert "共找到1家企业" in page


def test_filter_by_district_alone_still_works(client, places):
    page = text(client, district=places["taishan"].pk)
    assert "泰安输变电设备有限公司" in page and "顺德家电制造有限公司" not in page


def test_a_municipality_is_offered_as_a_province(client, places):
    page = text(client, province=places["beijing"].pk)
    assert "北京朝阳电气有限公司" in page and "泰安输变电设备有限公司" not in page
    assert "朝阳区" in _select(page, "district")


def test_a_city_of_another_province_is_a_chinese_message_not_an_error(client, places):
    page = text(client, province=places["province"].pk, city=places["taian"].pk)
    assert "市：请从列表中选择一个市（须属于所选的省）" in page
    # The valid province still applies.
    assert "南山精密机械有限公司" in page and "泰安输变电设备有限公司" not in page


@pytest.mark.parametrize(
    "params, message",
    [
        ({"province": "abc"}, "省：请从列表中选择一个省"),
        ({"province": "999999"}, "省：请从列表中选择一个省"),
        ({"city": "1e9"}, "市：请从列表中选择一个市"),
        ({"district": "-1"}, "区：请从列表中选择一个区"),
    ],
)
def test_invalid_place_values_are_reported_in_chinese(client, places, params, message):
    page = text(client, **params)
    assert message in page
    assert "共找到4家企业" in page  # nothing applied


def test_a_district_of_another_city_is_refused(client, places):
    page = text(client, city=places["city"].pk, district=places["shunde"].pk)
    assert "区：请从列表中选择一个区（须属于所选的市）" in page


def test_the_province_and_city_lists_send_the_form_when_scripts_run(client, places):
    page = text(client)
    for name in ("province", "city"):
        tag = re.search(rf'<select[^>]*name="{name}"[^>]*>', page).group(0)
        assert "data-autosubmit" in tag
    assert "data-autosubmit" not in re.search(r'<select[^>]*name="district"[^>]*>', page).group(0)


def test_j_sd_a_directory_narrowed_to_shandong_shows_its_query_site_seed_004_s3_3(client, places):
    footer = text(client, city=places["taian"].pk).split("<footer")[1]
    assert "全省职业技能等级证书信息查询系统" in footer and "jndj.osta.org.cn" in footer
    whole = text(client).split("<footer")[1]
    assert "sdosta" not in whole and "jndj.osta.org.cn" in whole
