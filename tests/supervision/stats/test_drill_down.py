"""The statistics drill-down province → city → district (seed 004 §三(三), §四(四): the
provincial centre follows its cities' work): a province reads a row per city and opens each
city's figures, a city a row per district; each only into its own area, anything else a 404."""

import datetime as dt
import io
import re
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.supervision.stats.helpers import certificate_for, plan_with_results, today_is
from tests.support.factories import EnterpriseFactory, FilingFactory

URL = reverse("stats_dashboard")
EXPORT = reverse("stats_export")


@pytest.fixture
def known(world):
    """南山 (深圳): a filed enterprise, 3 examinees approved, 1 certificate, 1 filing under
    review; 顺德 (佛山): a filed enterprise, 2 examinees approved, 1 filing under review."""
    nanshan = EnterpriseFactory(name="南山精密机械有限公司", district=world["nanshan"])
    shunde = EnterpriseFactory(name="顺德家电制造有限公司", district=world["shunde"])
    _plan, entries = plan_with_results(nanshan, [(4, "passed"), (4, "passed"), (4, "failed")])
    certificate_for(entries[0])
    plan_with_results(shunde, [(4, "passed"), (4, "failed")])
    submitted = dt.datetime(2026, 5, 6, 10, tzinfo=dt.UTC)
    for enterprise in (nanshan, shunde):
        FilingFactory(enterprise=enterprise, status="city_review", submitted_at=submitted)
    return world


def _get(client, user, **params):
    client.force_login(user)
    with today_is():
        return client.get(URL, params)


def _area_rows(html: str) -> dict[str, dict]:
    """{area name: {"url": link, "cells": [figures]}} of the table of areas below the scope."""
    table = re.search(r'<table id="table-areas">(.*?)</table>', html, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr data-area=\"\d+\">(.*?)</tr>", table, re.S):
        link = re.search(r'<a href="([^"]+)">([^<]+)</a>', row)
        cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row)]
        rows[link.group(2)] = {"url": link.group(1).replace("&amp;", "&"), "cells": cells[1:]}
    return rows


def test_j_sd_the_province_sees_a_row_per_city_and_drills_down_to_a_district_seed_004_s3_3(
    client, known, gina
):
    html = _get(client, gina).content.decode()
    rows = _area_rows(html)
    assert list(rows) == ["深圳市", "佛山市"]
    # Filed, submitted this year, under review, examinees, certificates, inspections.
    assert rows["深圳市"]["cells"] == ["1", "1", "1", "3", "1", "0"]
    assert rows["佛山市"]["cells"] == ["1", "1", "1", "2", "0", "0"]
    # The province's own figures add up its cities'.
    assert 'data-status="city_review">2<' in html
    city = _get(client, gina, **_query(rows["深圳市"]["url"]))
    assert city.status_code == 200
    city_html = city.content.decode()
    assert "深圳市" in city_html and 'data-status="city_review">1<' in city_html
    districts = _area_rows(city_html)
    assert list(districts) == ["福田区", "南山区"]
    assert districts["南山区"]["cells"][3] == "3" and districts["福田区"]["cells"][3] == "0"
    district = _get(client, gina, **_query(districts["南山区"]["url"]))
    assert district.status_code == 200
    # The way back up: 广东省 › 深圳市 › 南山区.
    trail = re.search(r'<nav[^>]*id="stats-trail">(.*?)</nav>', district.content.decode(), re.S)
    assert re.sub(r"<[^>]+>", "", trail.group(1)).split(" › ") == ["广东省", "深圳市", "南山区"]


def test_a_city_drills_into_its_districts_only(client, known, carl, olga):
    html = _get(client, carl).content.decode()
    assert list(_area_rows(html)) == ["福田区", "南山区"]
    assert _get(client, carl, area=known["nanshan"].pk).status_code == 200
    # Not another city's district, nor the other city, nor the province above.
    for other in ("shunde", "other_city", "province"):
        assert _get(client, carl, area=known[other].pk).status_code == 404
    assert _get(client, olga, area=known["nanshan"].pk).status_code == 404


def test_a_district_has_no_drill_down_and_no_other_area(client, known, dora):
    html = _get(client, dora).content.decode()
    assert 'id="table-areas"' not in html
    assert _get(client, dora, area=known["nanshan"].pk).status_code == 200
    for other in ("futian", "city"):
        assert _get(client, dora, area=known[other].pk).status_code == 404


def test_another_province_cannot_drill_into_the_provinces_cities(client, known, shan, shandong):
    for area in ("province", "city", "nanshan", "shunde"):
        assert _get(client, shan, area=known[area].pk).status_code == 404
    assert _get(client, shan, area="深圳").status_code == 404
    html = _get(client, shan).content.decode()
    assert list(_area_rows(html)) == ["泰安市"]
    assert "深圳" not in html and "南山精密机械有限公司" not in html


def test_the_export_of_a_drilled_area_has_that_areas_figures(client, known, gina):
    client.force_login(gina)
    with today_is():
        response = client.get(EXPORT, {"area": known["other_city"].pk})
    assert response.status_code == 200
    assert "佛山市" in unquote(response["Content-Disposition"])
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]  # filings by status
    assert sum(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)) == 1


def _query(url: str) -> dict:
    return dict(part.split("=") for part in url.split("?", 1)[1].split("&"))
