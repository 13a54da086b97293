"""Revocation (shown by the public verification, R-K5), reissue (补办) and correction (更正):
a new certificate with a new number (R-K2) replaces the old one, which stays in the history."""

import pytest
from django.urls import reverse

from certificates.models import Certificate
from tests.assessments.factories import id_number
from tests.certificates.factories import TODAY, issued_batch
from tests.support.factories import make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]

STALE = "您打开表单后，他人已修改了该记录。"


@pytest.fixture
def certificate(ent_a, alice) -> Certificate:
    """The first of two level-4 certificates of 2026: Y000044012345264000001 and …0002."""
    batch = issued_batch(ent_a, alice, "passed", "passed")
    return batch.certificates.order_by("position").first()


# Revocation -------------------------------------------------------------------------------


def test_r_k5_revoking_needs_a_reason_which_the_certificate_then_shows(client, alice, certificate):
    client.force_login(alice)
    url = reverse("certificate_revoke", args=[certificate.pk])
    assert "撤销证书" in client.get(url).text
    response = client.post(url, {"reason": "  ", "version": certificate.version})
    assert response.status_code == 200
    assert "请说明撤销证书的原因，公开查验时会显示。" in response.text
    certificate.refresh_from_db()
    assert certificate.status == "valid"

    response = client.post(
        url, {"reason": "考核材料弄虚作假，经核查撤销。", "version": certificate.version}
    )
    assert response["Location"] == reverse("certificate_detail", args=[certificate.pk])
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert certificate.revoked_on == TODAY
    text = client.get(response["Location"]).text
    assert "已撤销" in text
    assert "考核材料弄虚作假，经核查撤销。" in text
    assert "撤销证书" in text  # the history names the action
    # A revoked certificate is neither revoked again nor printed.
    assert client.get(url).status_code == 302
    pdf = client.get(reverse("certificate_pdf", args=[certificate.pk]), follow=True)
    assert "只有有效证书才能打印" in pdf.text


def test_r_k5_the_city_revokes_and_the_district_cannot(client, carl, dora, bob, certificate, world):
    url = reverse("certificate_revoke", args=[certificate.pk])
    for user in (dora, bob, make_member("olga", "city", bureau=world["other_city"])):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", "version": 1}).status_code == 404
    client.force_login(dora)
    detail = client.get(reverse("certificate_detail", args=[certificate.pk])).text
    assert url not in detail  # the district reads the certificate only
    client.force_login(carl)
    response = client.post(url, {"reason": "持证人冒名顶替参加考核。", "version": 1})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "revoked"
    assert certificate.revoked_by == carl


def test_r_k5_stale_revocation_keeps_the_input(client, alice, carl, certificate):
    url = reverse("certificate_revoke", args=[certificate.pk])
    client.force_login(carl)
    version = client.get(url).context["form"].initial["version"]
    client.force_login(alice)
    client.post(url, {"reason": "企业发现证书信息有误。", "version": version})
    client.force_login(carl)
    response = client.post(url, {"reason": "市局抽查发现违规。", "version": version})
    assert response.status_code == 200
    text = response.text
    assert STALE in text
    assert "市局抽查发现违规。" in text
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "企业发现证书信息有误。"


# Reissue and correction -------------------------------------------------------------------


def test_r_k2_reissue_gives_a_new_number_and_keeps_the_old_certificate(client, alice, certificate):
    client.force_login(alice)
    url = reverse("certificate_replace", args=[certificate.pk])
    form = client.get(url).context["form"]
    data = {**form.initial, "kind": "reissue", "reason": "证书遗失，申请补办。"}
    response = client.post(url, data, follow=True)
    new = Certificate.objects.get(replaces=certificate)
    assert new.number == "Y000044012345264000003"
    assert new.holder_name == certificate.holder_name
    assert new.issued_on == TODAY
    certificate.refresh_from_db()
    assert certificate.status == "replaced"
    text = response.text
    assert f"证书 {certificate.number} 已由新证书 {new.number} 取代。" in text
    assert "换发记录" in text
    old_page = client.get(reverse("certificate_detail", args=[certificate.pk])).text
    assert "已换发" in old_page
    assert reverse("certificate_detail", args=[new.pk]) in old_page
    assert client.get(url).status_code == 302  # a replaced certificate is not replaced twice


def test_r_k3_correction_prints_the_corrected_name_and_id_number(client, alice, certificate):
    client.force_login(alice)
    corrected_id = id_number(77, born="19881203")
    response = client.post(
        reverse("certificate_replace", args=[certificate.pk]),
        {
            "kind": "correction",
            "reason": "姓名录入错误，按身份证更正。",
            "holder_name": "李  晓明",
            "id_type": "身份证",
            "id_number": corrected_id.lower(),
            "work_type_name": "--",
            "version": certificate.version,
        },
    )
    new = Certificate.objects.get(replaces=certificate)
    assert response["Location"] == reverse("certificate_detail", args=[new.pk])
    assert (new.holder_name, new.id_type, new.id_number, new.work_type_name) == (
        "李 晓明",
        "居民身份证",
        corrected_id,
        "",
    )
    assert new.replacement_kind == "correction"
    assert new.number == "Y000044012345264000003"


def test_r_k3_correction_with_a_mistyped_id_number_is_refused_on_the_field(
    client, alice, certificate
):
    client.force_login(alice)
    good = certificate.id_number
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    response = client.post(
        reverse("certificate_replace", args=[certificate.pk]),
        {
            "kind": "correction",
            "reason": "更正证件号码。",
            "holder_name": certificate.holder_name,
            "id_type": "居民身份证",
            "id_number": wrong,
            "work_type_name": "",
            "version": certificate.version,
        },
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["id_number"]
    text = response.text
    assert "GB 11643" in text
    assert f'value="{wrong}"' in text
    assert not Certificate.objects.filter(replaces=certificate).exists()


def test_correction_that_changes_nothing_is_refused(client, alice, certificate):
    client.force_login(alice)
    url = reverse("certificate_replace", args=[certificate.pk])
    data = {**client.get(url).context["form"].initial, "kind": "correction", "reason": "更正。"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "更正：请至少修改一项证书打印内容，或改选补办。" in response.text
    assert not Certificate.objects.filter(replaces=certificate).exists()


def test_only_the_enterprise_reissues_or_corrects(client, carl, dora, bob, certificate):
    url = reverse("certificate_replace", args=[certificate.pk])
    for user in (carl, dora, bob):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"kind": "reissue", "reason": "x"}).status_code == 404
