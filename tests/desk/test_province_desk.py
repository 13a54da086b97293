"""The provincial centre's desk and menus (seed 004 §三(三), §四(四): the province follows its
cities' work): the lists it may read, and a row per city with its figures and a link that opens
the city's statistics."""

import re

from django.urls import reverse

from tests.support.factories import EnterpriseFactory, FilingFactory

READS = [
    "filing_list",
    "enterprise_list",
    "scheme_list",
    "examiner_list",
    "plan_list",
    "result_filing_list",
    "certificate_list",
    "inspection_list",
    "coverage_report",
    "complaint_list",
    "annual_report_list",
    "sanction_list",
    "stats_dashboard",
]
# The cities' own work: draws, the supervisor pool, numbering, the yearly evaluation, settings.
CITY_ONLY = [
    "draw_list",
    "supervisor_pool",
    "numbering_prefix_list",
    "evaluation_list",
    "city_settings",
]


def test_j_sd_the_province_menu_offers_the_lists_it_reads_and_no_citys_work_seed_004_s3_3(
    client, gina
):
    client.force_login(gina)
    nav = re.search(r'<nav class="main-nav".*?</nav>', client.get(reverse("dashboard")).text, re.S)
    links = set(re.findall(r'href="([^"]+)"', nav.group(0)))
    assert {reverse(name) for name in READS} <= links
    assert not {reverse(name) for name in CITY_ONLY} & links
    for name in READS:
        assert client.get(reverse(name)).status_code == 200, name
    for name in CITY_ONLY:
        assert client.get(reverse(name)).status_code == 404, name


def test_j_sd_the_province_desk_counts_per_city_with_a_link_to_each_seed_004_s3_3(
    client, world, gina
):
    for district in ("nanshan", "nanshan", "shunde"):
        FilingFactory(enterprise=EnterpriseFactory(district=world[district]), status="city_review")
    client.force_login(gina)
    html = client.get(reverse("dashboard")).text
    table = re.search(r'<table id="province-cities">(.*?)</table>', html, re.S).group(1)
    rows = re.findall(
        r'<tr data-area="(\d+)">\s*<td><a href="([^"]+)">([^<]+)</a></td>'
        r"<td>\d+</td><td>(\d+)</td>",
        table,
    )
    assert [(name, int(review)) for _pk, _url, name, review in rows] == [
        ("深圳市", 2),
        ("佛山市", 1),
    ]
    shenzhen = rows[0][1].replace("&amp;", "&")
    assert shenzhen.startswith(reverse("stats_dashboard") + f"?area={world['city'].pk}&")
    assert client.get(shenzhen).status_code == 200


def test_a_city_desk_has_no_table_of_cities(client, carl):
    client.force_login(carl)
    assert 'id="province-cities"' not in client.get(reverse("dashboard")).text
