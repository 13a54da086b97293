"""The city cancels a filing from an inspection's fraud finding (R-M2)."""

import datetime as dt

from django.urls import reverse

from supervision.models import Finding, Sanction
from tests.supervision.factories import inspection_of
from tests.support.factories import approved_filing


def test_r_m2_cancel_page_is_prefilled_from_the_inspection_and_needs_a_reason(
    client, ent_a, carl, sam
):
    approved_filing(
        ent_a, "440320240001", approved_on=dt.date(2024, 1, 10), valid_until=dt.date(2099, 1, 9)
    )
    inspection = inspection_of(ent_a, supervisors=[sam], actor=carl)
    Finding.objects.create(
        inspection=inspection,
        description="考生由他人代考，组织替考",
        severity="fraud",
        status="noted",
        created_by=sam,
    )
    client.force_login(carl)
    url = reverse("sanction_create") + f"?enterprise={ent_a.pk}&inspection={inspection.pk}"
    page = client.get(url).content.decode()
    assert "考生由他人代考，组织替考" in page and ent_a.name in page
    response = client.post(url, {"enterprise": ent_a.pk, "inspection": inspection.pk, "reason": ""})
    assert response.status_code == 200
    assert "请写明查实的弄虚作假或组织作弊行为" in response.content.decode()
    assert not Sanction.objects.exists()
    response = client.post(
        url, {"enterprise": ent_a.pk, "inspection": inspection.pk, "reason": "组织替考"}
    )
    sanction = Sanction.objects.get()
    assert response.status_code == 302 and sanction.kind == "cancelled"
    assert sanction.filing.status == "cancelled"
    # A second one is refused in Chinese, nothing changes.
    response = client.post(url, {"enterprise": ent_a.pk, "reason": "再次"}, follow=True)
    assert "处理期内不能再作出处理" in response.content.decode()
    assert Sanction.objects.count() == 1


def test_r_m2_another_citys_enterprise_is_not_found(client, ent_a, olga):
    client.force_login(olga)
    assert client.get(reverse("sanction_create") + f"?enterprise={ent_a.pk}").status_code == 404
