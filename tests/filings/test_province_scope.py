"""The provincial centre reads its cities' enterprises and filings (seed 004 §二(二): the province
and the cities' centres evaluate, the province publishes the directory); it acts only where its
policy routes a step to it, and another province finds nothing (a 404, as "missing")."""

import datetime as dt

import pytest

from tests.support.factories import EnterpriseFactory, FilingFactory


@pytest.fixture
def filings(world):
    """A filing under the city's review in 南山 (深圳) and one under district pre-review in 顺德
    (佛山), and a draft that stays with its enterprise."""
    shenzhen = EnterpriseFactory(name="南山精密机械有限公司", district=world["nanshan"])
    foshan = EnterpriseFactory(name="顺德家电制造有限公司", district=world["shunde"])
    return {
        "shenzhen": FilingFactory(
            enterprise=shenzhen,
            status="city_review",
            received_on=dt.date(2026, 11, 2),
            due_on=dt.date(2026, 11, 30),
        ),
        "foshan": FilingFactory(enterprise=foshan, status="district_review"),
        "draft": FilingFactory(
            enterprise=EnterpriseFactory(name="福田草稿有限公司", district=world["futian"])
        ),
    }


def test_j_sd_the_province_lists_the_filings_and_enterprises_of_all_its_cities_seed_004_s2_2(
    client, gina, filings
):
    client.force_login(gina)
    page = client.get("/filings/").text
    assert "南山精密机械有限公司" in page and "顺德家电制造有限公司" in page
    # A draft is still the enterprise's own, for the province as for the city.
    assert "福田草稿有限公司" not in page
    page = client.get("/enterprises/").text
    assert "南山精密机械有限公司" in page and "顺德家电制造有限公司" in page


def test_j_sd_the_province_opens_a_citys_filing_to_read_without_the_citys_decision_seed_004_s2_2(
    client, gina, filings
):
    client.force_login(gina)
    filing = filings["shenzhen"]
    response = client.get(f"/filings/{filing.pk}/")
    assert response.status_code == 200
    assert "南山精密机械有限公司" in response.text
    assert "decision_form" not in response.context and "assign_form" not in response.context
    # The city's and the district's actions stay theirs: the province gets a 404.
    assert client.post(f"/filings/{filing.pk}/decide/", {"decision": "approve"}).status_code == 404
    assert client.post(f"/filings/{filing.pk}/experts/", {}).status_code == 404
    pre_review = filings["foshan"]
    assert client.post(f"/filings/{pre_review.pk}/district-review/", {}).status_code == 404
    filing.refresh_from_db()
    assert filing.status == "city_review"


def test_another_province_finds_none_of_the_provinces_filings_or_enterprises(client, shan, filings):
    client.force_login(shan)
    assert "南山精密机械有限公司" not in client.get("/filings/").text
    assert "顺德家电制造有限公司" not in client.get("/enterprises/").text
    for filing in (filings["shenzhen"], filings["foshan"]):
        assert client.get(f"/filings/{filing.pk}/").status_code == 404
        assert client.get(f"/enterprises/{filing.enterprise_id}/").status_code == 404
