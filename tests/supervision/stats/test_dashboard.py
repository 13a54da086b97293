"""The supervision dashboard of a district or a city (R-M1): the figures on a small known data
set, the scope, the Excel export read back, and the number of queries."""

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from supervision.models import Finding, Inspection
from tests.supervision.factories import inspection_of
from tests.supervision.stats.helpers import (
    TODAY,
    certificate_for,
    plan_with_results,
    today_is,
)
from tests.support.factories import EnterpriseFactory, FilingFactory

URL = reverse("stats_dashboard")
EXPORT = reverse("stats_export")


@pytest.fixture
def known(world, ent_a, ent_b, carl):
    """南山 (A): 车工 level 4: 3 passed 1 failed; level 3: 1 passed; 电工 level 4: 2 failed.
    福田 (B): 车工 level 4: 2 passed. A batch approved in 2025 and a submitted one do not count."""
    a1, a1_entries = plan_with_results(
        ent_a, [(4, "passed"), (4, "passed"), (4, "passed"), (4, "failed"), (3, "passed")]
    )
    plan_with_results(ent_a, [(4, "failed"), (4, "failed")], code="6-31-01-03", name="电工")
    plan_with_results(ent_b, [(4, "passed"), (4, "passed")])
    plan_with_results(ent_a, [(4, "passed")] * 3, approved_on=dt.date(2025, 12, 1))
    plan_with_results(ent_a, [(4, "failed")] * 3, batch_status="submitted")
    submitted = dt.datetime(2026, 5, 6, 10, tzinfo=dt.UTC)
    approved = {"number": "4403R99999999", "approved_on": dt.date(2026, 6, 1)}
    approved["valid_until"] = dt.date(2029, 6, 1)
    for district, status, fields in (
        ("nanshan", "city_review", {}),
        ("nanshan", "city_review", {}),
        ("nanshan", "approved", approved),
        ("nanshan", "cancelled", {}),
        ("nanshan", "draft", {}),
        ("futian", "city_review", {}),
    ):
        enterprise = EnterpriseFactory(district=world[district])
        FilingFactory(enterprise=enterprise, status=status, submitted_at=submitted, **fields)
    # Certificates: two in November, one in March (A), one for B in November.
    certificate_for(a1_entries[0], issued_on=dt.date(2026, 11, 20))
    certificate_for(a1_entries[1], issued_on=dt.date(2026, 11, 21))
    certificate_for(a1_entries[2], issued_on=dt.date(2026, 3, 2))
    return {"a1": a1}


def _page(client, user, **params):
    client.force_login(user)
    with today_is():
        response = client.get(URL, params)
    assert response.status_code == 200
    return response


def _rows(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table id="{table_id}">(.*?)</table>', html, re.S).group(1)
    body = table.split("<tbody>")[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_city_sees_filings_by_status_and_pass_rates_by_occupation_and_level(
    client, known, carl
):
    html = _page(client, carl).content.decode()
    counts = {row[0]: int(row[1]) for row in _rows(html, "table-filings")}
    assert sum(counts.values()) == 5  # drafts are the enterprise's own
    assert 'data-status="city_review">3<' in html
    assert 'data-status="cancelled">1<' in html
    assert 'data-status="removed">0<' in html
    occupation = _rows(html, "table-occupation")
    # 车工: A 4 passed of 5 decided + B 2 passed = 6 / 7; 电工: 0 / 2.
    assert occupation == [
        ["6-18-01-01 车工", "7", "6", "1", "85.7"],
        ["6-31-01-03 电工", "2", "0", "2", "0.0"],
    ]
    level = _rows(html, "table-level")
    assert level == [
        ["四级/中级工", "8", "5", "3", "62.5"],
        ["三级/高级工", "1", "1", "0", "100.0"],
    ]
    months = _rows(html, "table-certificates")
    assert months[2] == ["3月", "1"] and months[10] == ["11月", "2"]
    assert sum(int(m[1]) for m in months) == 3


def test_a_district_sees_only_its_district(client, known, dora, fred):
    html = _page(client, dora).content.decode()
    assert _rows(html, "table-occupation")[0] == ["6-18-01-01 车工", "5", "4", "1", "80.0"]
    assert 'data-status="city_review">2<' in html
    html = _page(client, fred).content.decode()
    assert _rows(html, "table-occupation") == [["6-18-01-01 车工", "2", "2", "0", "100.0"]]
    assert 'data-status="cancelled">0<' in html


def test_another_year_shows_that_years_figures(client, known, carl):
    html = _page(client, carl, year="2025").content.decode()
    assert _rows(html, "table-occupation") == [["6-18-01-01 车工", "3", "3", "0", "100.0"]]
    assert 'data-status="city_review">0<' in html


def test_an_unknown_year_falls_back_to_this_year(client, known, carl):
    response = _page(client, carl, year="abc")
    assert response.context["year"] == TODAY.year


@pytest.mark.parametrize("persona", ["alice", "erin", "sam"])
def test_enterprises_experts_and_supervisors_get_404(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert client.get(EXPORT).status_code == 404


def test_inspections_and_coverage_r_m1(client, world, ent_a, ent_b, carl, sam):
    plan_with_results(ent_a, [(4, "passed")])  # gives A an approved filing (filed enterprise)
    plan_with_results(ent_b, [(4, "passed")])
    inspection = inspection_of(ent_a, supervisors=[sam], actor=carl, year=2026)
    Inspection.objects.filter(pk=inspection.pk).update(status="reported")
    Finding.objects.create(
        inspection=inspection,
        description="考场视频监控缺失",
        rectify_by=dt.date(2026, 12, 1),
        created_by=carl,
    )
    html = _page(client, carl).content.decode()
    values = [r[1] for r in _rows(html, "table-inspections")]
    assert values == ["0", "1", "0", "2", "1", "50.0"]
    assert "考场视频监控缺失" in html  # the overdue finding is listed


def test_overdue_result_filing_is_counted(client, world, ent_a, dora):
    plan_with_results(ent_a, [(4, "passed")], batch_status="publicised")  # due 2026-11-30
    response = _page(client, dora)
    overdue = {item.key: item.count for item in response.context["figures"]["overdue"]}
    assert overdue["batches"] == 1
    assert overdue["annual"] == 1  # A is filed and has no 2026 annual report (R-M4)


def test_the_excel_export_has_the_pages_figures(client, known, carl):
    page = _page(client, carl)
    html = page.content.decode()
    with today_is():
        response = client.get(EXPORT, {"year": "2026"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 7
    sheets = {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    by_status = sheets[book.sheetnames[0]]
    assert [[label, str(n)] for label, n in by_status[1:]] == _rows(html, "table-filings")
    by_occupation = sheets[book.sheetnames[1]]
    assert [
        [f"{code} {name}", str(n), str(p), str(f), f"{rate:.1f}"]
        for code, name, n, p, f, rate in by_occupation[1:]
    ] == _rows(html, "table-occupation")
    by_level = sheets[book.sheetnames[2]]
    assert [[label, str(n), str(p), str(f), f"{r:.1f}"] for label, n, p, f, r in by_level[1:]] == (
        _rows(html, "table-level")
    )
    months = sheets[book.sheetnames[3]]
    assert [[m, str(n)] for m, n in months[1:]] == _rows(html, "table-certificates")
    for row in book[book.sheetnames[1]].iter_rows():
        for cell in row:
            assert cell.data_type != "f"


def test_the_export_never_writes_a_formula(client, world, carl):
    evil = EnterpriseFactory(name="=HYPERLINK(1)", district=world["nanshan"])
    plan_with_results(evil, [(4, "passed")] * 10)
    client.force_login(carl)
    with today_is():
        response = client.get(EXPORT)
    book = load_workbook(io.BytesIO(response.content))
    flags = book[book.sheetnames[-1]]
    cells = [cell for row in flags.iter_rows(min_row=2) for cell in row]
    assert any(cell.value == "=HYPERLINK(1)" and cell.data_type == "s" for cell in cells)


def _queries(client, user) -> int:
    client.force_login(user)
    with today_is(), CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_plans(
    client, world, ent_a, carl, django_assert_max_num_queries
):
    plan, entries = plan_with_results(ent_a, [(4, "passed")] * 10)
    certificate_for(entries[0])
    one = _queries(client, carl)
    for n in range(29):
        _plan, entries = plan_with_results(
            ent_a, [(4, "passed")] * 10, code=f"6-18-01-{n + 2:02d}", name=f"职业{n}"
        )
        certificate_for(entries[0])
    client.force_login(carl)
    with today_is(), django_assert_max_num_queries(one):
        response = client.get(URL)
    assert len(response.context["figures"]["by_occupation"]) == 30
    assert one <= 40


def test_the_desk_counts_flags_and_overdue_items(client, world, ent_a, dora):
    plan_with_results(ent_a, [(4, "passed")] * 10)  # a 100 % batch of 10 (flag)
    client.force_login(dora)
    with today_is():
        response = client.get(reverse("dashboard"))
    assert response.context["stats_flag_count"] == 1
    html = response.content.decode()
    assert 'id="desk-stats"' in html and URL in html
