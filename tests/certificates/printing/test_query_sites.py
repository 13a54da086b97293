"""The query sites follow the issuer's province (seed 004 §三(三)): 颁发证书的人员信息可在职业技能
等级全国联网查询系统（http://jndj.osta.org.cn）和全省职业技能等级证书信息查询系统
（http://www.sdosta.org.cn）查询. The national sites are printed and shown always; Shandong adds its
own under them, on its enterprises' certificates and on the public pages about one of them."""

import pytest
from django.urls import reverse

from certificates.printing import documents as printing
from portal.core.presets import apply_preset
from tests.certificates.factories import issued_batch, prefix_for
from tests.support.factories import BureauFactory, EnterpriseFactory, make_member
from tests.support.pdfs import pdf_text, pdf_text_without_spaces

pytestmark = pytest.mark.django_db

SD_SITE = "全省职业技能等级证书信息查询系统"
SD_URL = "http://www.sdosta.org.cn"


@pytest.fixture
def shandong(db):
    province = BureauFactory(
        code="37", name="山东省职业技能鉴定指导中心", area="山东省", level="province"
    )
    apply_preset(province, "shandong")
    taian = BureauFactory(
        code="3709", name="泰安市职业技能鉴定指导中心", area="泰安市", level="city", parent=province
    )
    taishan = BureauFactory(code="370902", area="泰山区", level="district", parent=taian)
    return {"province": province, "taian": taian, "taishan": taishan}


@pytest.fixture
def ta_certificate(shandong):
    enterprise = EnterpriseFactory(name="泰安输变电设备有限公司", district=shandong["taishan"])
    operator = make_member("ta-enterprise", "enterprise", enterprise=enterprise)
    prefix_for(enterprise, site_serial="370001", province_code="37")
    batch = issued_batch(enterprise, operator, "passed")
    return batch.certificates.get()


def test_the_shandong_preset_stores_the_provincial_query_site_seed_004_s3_3(shandong):
    province = shandong["province"]
    province.refresh_from_db()
    assert (province.query_site_name, province.query_site_url) == (SD_SITE, SD_URL)
    assert shandong["taishan"].query_site == (SD_SITE, SD_URL)


def test_j_sd_certificate_prints_the_province_site_under_the_national_ones_seed_004_s3_3(
    ta_certificate,
):
    for pdf in (
        printing.certificates_pdf([ta_certificate]),
        printing.certificates_pdf_reference([ta_certificate]),
    ):
        text = pdf_text_without_spaces(pdf)
        national = text.index("jndj.osta.org.cn")
        assert "pjjg.osta.org.cn" in text
        assert text.index(SD_SITE + SD_URL) > national
        assert "省级查询" in text


def test_a_shenzhen_certificate_prints_the_national_sites_only(ent_a, alice):
    certificate = issued_batch(ent_a, alice, "passed").certificates.get()
    text = pdf_text(printing.certificates_pdf([certificate]))
    assert "jndj.osta.org.cn" in text and "pjjg.osta.org.cn" in text
    assert "省级查询" not in text and "sdosta" not in text


def test_j_sd_the_verify_answer_shows_the_province_site_in_the_footer_seed_004_s3_3(
    client, ta_certificate
):
    empty = client.get(reverse("certificate_verify")).content.decode()
    assert "jndj.osta.org.cn" in empty and SD_URL not in empty
    answer = client.post(
        reverse("certificate_verify"),
        {"number": ta_certificate.number, "name": ta_certificate.holder_name},
    ).content.decode()
    footer = answer[answer.index("<footer") :]
    assert "jndj.osta.org.cn" in footer and "pjjg.osta.org.cn" in footer
    assert SD_SITE in footer and f'href="{SD_URL}"' in footer


def test_a_shenzhen_verify_answer_shows_the_national_sites_only(client, ent_a, alice):
    certificate = issued_batch(ent_a, alice, "passed").certificates.get()
    answer = client.post(
        reverse("certificate_verify"),
        {"number": certificate.number, "name": certificate.holder_name},
    ).content.decode()
    assert certificate.number in answer
    footer = answer[answer.index("<footer") :]
    assert "jndj.osta.org.cn" in footer and "省证书查询" not in footer
