"""A NUL character in a query string (a search box, a filter, the API) is refused in one place,
portal.core.middleware.NulQueryMiddleware, with a 400 and a Chinese message naming the field,
before any view puts it into a query (issue 18, F4). PostgreSQL cannot store or compare text
holding NUL and answered 500; SQLite accepts it, so these tests assert the refusal itself."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

NUL = "\x00"
MESSAGE = "搜索内容含有空字符（NUL），无法查询"

# Every page with a search box (an input named q), by its template.
SEARCH_BOXES = {
    "filings/filing_list.html": "filing_list",
    "filings/enterprise_list.html": "enterprise_list",
    "certificates/certificate_list.html": "certificate_list",
    "certificates/prefix_list.html": "numbering_prefix_list",
    "assessments/examiner_list.html": "examiner_list",
    "assessments/scheme_list.html": "scheme_list",
    "assessments/agreement_list.html": "agreement_list",
    "supervision/complaint_list.html": "complaint_list",
}


def test_every_search_box_is_in_the_list_below():
    templates = Path(settings.BASE_DIR) / "templates"
    with_search_box = {
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if re.search(r'name="q"', path.read_text(encoding="utf-8"))
    }

    assert with_search_box == set(SEARCH_BOXES)


@pytest.mark.parametrize("url_name", sorted(SEARCH_BOXES.values()))
def test_a_nul_in_a_search_is_refused_with_a_message(client, carl, url_name):
    client.force_login(carl)
    url = reverse(url_name)
    assert client.get(url, {"q": "南山"}).status_code == 200

    answer = client.get(url, {"q": f"南山{NUL}"})

    assert answer.status_code == 400
    page = answer.content.decode()
    assert MESSAGE in page
    # A way back to the same list, without the search.
    assert f'href="{url}"' in page


@pytest.mark.parametrize(
    "url_name, parameter",
    [
        ("filing_list", "status"),
        ("certificate_list", "level"),
        ("certificate_list", "year"),
        ("examiner_list", "role"),
        ("directory", "name"),
        ("directory", "occupation"),
    ],
)
def test_a_nul_in_any_filter_is_refused_naming_the_parameter(client, carl, url_name, parameter):
    client.force_login(carl)

    answer = client.get(reverse(url_name), {parameter: NUL})

    assert answer.status_code == 400
    assert f"筛选条件“{parameter}”含有空字符（NUL），无法查询" in answer.content.decode()


def test_a_nul_in_a_parameter_name_is_refused_too(client, carl):
    client.force_login(carl)

    answer = client.get(reverse("filing_list") + "?a%00b=1")

    assert answer.status_code == 400


def test_the_api_refuses_a_nul_with_its_json_error(client, db):
    answer = client.get(
        reverse("api_certificate_verify"), {"number": "Y000044012345264000001", "name": NUL}
    )

    assert answer.status_code == 400
    assert answer["Content-Type"] == "application/json"
    assert answer["Cache-Control"] == "no-store"
    body = json.loads(answer.content)
    assert body["field"] == "name"
    assert "空字符" in body["error"]


def test_a_search_without_nul_still_searches(client, carl, ent_a):
    client.force_login(carl)

    answer = client.get(reverse("enterprise_list"), {"q": "南山"})

    assert answer.status_code == 200
    assert "南山精密机械有限公司" in answer.content.decode()
