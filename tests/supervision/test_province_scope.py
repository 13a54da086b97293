"""Supervision seen from the provincial centre (seed 004 §四(四): the cities report, the province
follows and decides on removals): it reads its cities' inspections, coverage, complaints and
sanctions; inspecting, closing, handling complaints and sanctioning stay with the cities and
districts; another province finds none of it."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.supervision.complaints.matrix_complaint import complaint_about
from tests.supervision.factories import inspection_of, supervisors_in_pool
from tests.support.factories import EnterpriseFactory, SanctionFactory, approved_filing

SHENZHEN, FOSHAN = "南山精密机械有限公司", "顺德家电制造有限公司"


@pytest.fixture
def cities(world):
    """In each city a filed enterprise with an inspection, a complaint and a sanction."""
    found = {}
    for key, district, name, city in [
        ("shenzhen", "nanshan", SHENZHEN, "city"),
        ("foshan", "shunde", FOSHAN, "other_city"),
    ]:
        enterprise = EnterpriseFactory(name=name, district=world[district])
        approved_filing(enterprise, f"{world[city].code}20269001", approved_on=dt.date(2026, 1, 5))
        pool = supervisors_in_pool(world[city], 1, prefix=f"{key}-s")
        found[key] = {
            "enterprise": enterprise,
            "inspection": inspection_of(enterprise, supervisors=pool, actor=pool[0]),
            "complaint": complaint_about(enterprise),
            "sanction": SanctionFactory(enterprise=enterprise),
        }
    return found


LISTS = ["inspection_list", "coverage_report", "complaint_list", "sanction_list"]


@pytest.mark.parametrize("name", LISTS)
def test_j_sd_the_province_lists_the_supervision_of_every_city_seed_004_s4_4(
    client, cities, gina, name
):
    client.force_login(gina)
    page = client.get(reverse(name), {"show": "all"}).text
    assert SHENZHEN in page and FOSHAN in page


@pytest.mark.parametrize("name", LISTS)
def test_another_province_lists_none_of_it(client, cities, shan, name):
    client.force_login(shan)
    page = client.get(reverse(name), {"show": "all"}).text
    assert SHENZHEN not in page and FOSHAN not in page


def test_the_province_reads_an_inspection_complaint_and_sanction_but_acts_on_none(
    client, cities, gina
):
    client.force_login(gina)
    foshan = cities["foshan"]
    for url in (
        reverse("inspection_detail", args=[foshan["inspection"].pk]),
        reverse("complaint_detail", args=[foshan["complaint"].pk]),
        reverse("sanction_detail", args=[foshan["sanction"].pk]),
    ):
        assert client.get(url).status_code == 200, url
    # The complainant's phone stays masked: the province does not call back.
    assert (
        "13812345678"
        not in client.get(reverse("complaint_detail", args=[foshan["complaint"].pk])).text
    )
    assert (
        client.post(reverse("inspection_close", args=[foshan["inspection"].pk])).status_code == 404
    )
    assert client.post(reverse("complaint_take", args=[foshan["complaint"].pk])).status_code == 404
    assert client.get(reverse("sanction_create")).status_code == 404


def test_another_province_gets_404_on_each_object(client, cities, shan):
    client.force_login(shan)
    for side in cities.values():
        for url in (
            reverse("inspection_detail", args=[side["inspection"].pk]),
            reverse("complaint_detail", args=[side["complaint"].pk]),
            reverse("sanction_detail", args=[side["sanction"].pk]),
        ):
            assert client.get(url).status_code == 404, url


def test_the_provinces_coverage_names_each_enterprises_city(client, cities, gina):
    client.force_login(gina)
    page = client.get(reverse("coverage_report")).text
    assert "深圳市 · 南山区" in page and "佛山市 · 顺德区" in page


def test_the_provinces_coverage_workbook_names_each_enterprises_city(client, cities, gina):
    client.force_login(gina)
    response = client.get(reverse("coverage_export"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    places = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert places[SHENZHEN] == "深圳市 · 南山区" and places[FOSHAN] == "佛山市 · 顺德区"
