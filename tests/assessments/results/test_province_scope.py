"""Results of the province's cities, read by the provincial centre (seed 004 §三(三): results are
reviewed by the municipal and then the provincial centre). Reading here; the city's decision
stays the city's, and another province finds nothing."""

import datetime as dt

import pytest

from tests.assessments.results.factories import acknowledged_plan, publicised_batch, with_results
from tests.support.factories import EnterpriseFactory


@pytest.fixture
def batches(world):
    """A result batch submitted to 深圳 and one to 佛山."""
    found = {}
    for key, district, name in [
        ("shenzhen", "nanshan", "南山精密机械有限公司"),
        ("foshan", "shunde", "顺德家电制造有限公司"),
    ]:
        plan = acknowledged_plan(EnterpriseFactory(name=name, district=world[district]))
        with_results(plan, "passed", "failed")
        found[key] = publicised_batch(plan, status="submitted", submitted_on=dt.date(2026, 11, 10))
    return found


def test_j_sd_the_province_reads_the_results_its_cities_received_seed_004_s3_3(
    client, gina, batches
):
    client.force_login(gina)
    page = client.get("/results/").text
    assert "南山精密机械有限公司" in page and "顺德家电制造有限公司" in page
    batch = batches["shenzhen"]
    response = client.get(f"/plans/{batch.plan_id}/results/")
    assert response.status_code == 200
    assert "南山精密机械有限公司" in response.text


def test_the_citys_result_decision_is_not_the_provinces_to_take(client, gina, batches):
    client.force_login(gina)
    batch = batches["foshan"]
    response = client.post(f"/plans/{batch.plan_id}/results/decide/", {"decision": "approve"})
    assert response.status_code == 404
    batch.refresh_from_db()
    assert batch.status == "submitted"


def test_another_province_finds_none_of_the_results(client, shan, batches):
    client.force_login(shan)
    page = client.get("/results/").text
    assert "南山精密机械有限公司" not in page and "顺德家电制造有限公司" not in page
    for batch in batches.values():
        assert client.get(f"/plans/{batch.plan_id}/results/").status_code == 404
        assert client.get(f"/plans/{batch.plan_id}/scores/").status_code == 404
