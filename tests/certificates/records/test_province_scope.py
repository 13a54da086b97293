"""Certificates of the province's cities, read by the provincial centre (seed 004 §三(三): the
provincial centre publishes the certified people); revoking stays with the enterprise and the
city, and another province finds nothing."""

import pytest

from certificates.models import Certificate
from tests.certificates.factories import issued_batch
from tests.support.factories import EnterpriseFactory, make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


@pytest.fixture
def certificates(world):
    """One certificate issued in 南山 (深圳) and one in 顺德 (佛山)."""
    found = {}
    for key, district, name, serial in [
        ("shenzhen", "nanshan", "南山精密机械有限公司", "012345"),
        ("foshan", "shunde", "顺德家电制造有限公司", "012347"),
    ]:
        enterprise = EnterpriseFactory(name=name, district=world[district])
        operator = make_member(f"op{serial}", "enterprise", enterprise=enterprise)
        issued_batch(enterprise, operator, "passed", site_serial=serial)
        found[key] = Certificate.objects.get(enterprise=enterprise)
    return found


def test_j_sd_the_province_reads_the_certificates_of_all_its_cities_seed_004_s3_3(
    client, gina, certificates
):
    client.force_login(gina)
    page = client.get("/certificates/").text
    for certificate in certificates.values():
        assert certificate.number in page
    response = client.get(f"/certificates/{certificates['foshan'].pk}/")
    assert response.status_code == 200
    assert "顺德家电制造有限公司" in response.text
    # Revoking is the enterprise's and the city's: not the province's.
    assert client.get(f"/certificates/{certificates['foshan'].pk}/revoke/").status_code == 404


def test_another_province_finds_none_of_the_certificates(client, shan, certificates):
    client.force_login(shan)
    page = client.get("/certificates/").text
    for certificate in certificates.values():
        assert certificate.number not in page
        assert client.get(f"/certificates/{certificate.pk}/").status_code == 404
        assert client.get(f"/certificates/{certificate.pk}/pdf/").status_code == 404
