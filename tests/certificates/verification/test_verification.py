"""R-K5: the public verification page, the QR link and the holder's download, without login."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from certificates.models import Certificate
from certificates.revocation import services
from certificates.verification.tokens import make_token
from tests.support.pdfs import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

VERIFY = reverse("certificate_verify")
DOWNLOAD = reverse("certificate_holder_download")
UNKNOWN_NUMBER = "Y000044012345264999999"
NO_MATCH = "填写的信息与任何证书都不相符"


def result_section(response) -> str:
    match = re.search(r'<section id="verification-result".*?</section>', response.text, re.S)
    assert match, "no result section"
    return match.group(0)


def post_verify(client: Client, number: str, name: str):
    return client.post(VERIFY, {"number": number, "name": name})


# The verification page ----------------------------------------------------------------------


def test_r_k5_page_explains_masking_and_links_download_and_api(client):
    response = client.get(VERIFY)
    assert response.status_code == 200
    text = response.text
    assert "证书编号" in text and "持证人姓名" in text
    assert "脱敏显示" in text
    assert reverse("certificate_holder_download") in text
    assert reverse("api_docs") in text
    assert 'method="post"' in text and "csrfmiddlewaretoken" in text


def test_r_k5_valid_certificate_shows_status_and_masked_printed_fields(client, certificate):
    response = post_verify(client, certificate.number, "张三丰")
    assert response.status_code == 200
    section = result_section(response)
    assert "有效证书" in section
    for shown in (
        certificate.number,
        "张*丰",
        "4****************X",
        "车工",
        "--",
        "四级/中级工",
        "2026-11-20",
        "南山精密机械有限公司",
    ):
        assert shown in section, shown
    assert "张三丰" not in section
    assert "44030519900101123X" not in section
    assert "no-store" in response["Cache-Control"]


def test_answer_comes_first_on_the_page_where_a_phone_shows_it_without_scrolling(
    client, certificate
):
    """Issue 16: the answer stands under the heading, above the form and the explanations."""
    text = post_verify(client, certificate.number, "张三丰").text
    content = text[text.index("<h1") :]
    assert content.index('id="verification-result"') < content.index('method="post"')
    assert "脱敏显示" not in content[: content.index('id="verification-result"')]


def test_r_k5_input_is_normalised_spaces_full_width_and_lower_case(client, certificate):
    spaced = " ".join(certificate.number[i : i + 4] for i in range(0, 22, 4)).lower()
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in spaced if c != " ")
    for typed in (spaced, full_width):
        section = result_section(post_verify(client, typed, " 张 三丰 "))
        assert "有效证书" in section, typed


def test_r_k5_revoked_certificate_shows_reason_and_date(client, certificate, alice):
    services.certificate_revoke(certificate=certificate, actor=alice, reason="考核舞弊，成绩作废")
    revoked = Certificate.objects.get(pk=certificate.pk)
    section = result_section(post_verify(client, certificate.number, "张三丰"))
    assert "已撤销" in section
    assert "考核舞弊，成绩作废" in section
    assert revoked.revoked_on.isoformat() in section
    assert "有效证书" not in section


@pytest.mark.parametrize(("kind", "words"), [("correction", "更正"), ("reissue", "补办")])
def test_r_k5_replaced_certificate_names_its_replacement(client, certificate, alice, kind, words):
    corrections = {"work_type_name": "数控车工"} if kind == "correction" else None
    new = services.certificate_replace(
        certificate=certificate, actor=alice, kind=kind, reason="信息有误", corrections=corrections
    )
    section = result_section(post_verify(client, certificate.number, "张三丰"))
    assert "已被替换" in section
    assert words in section
    assert new.number in section
    assert new.issued_on.isoformat() in section
    # The new number verifies as valid.
    assert "有效证书" in result_section(post_verify(client, new.number, "张三丰"))


def test_r_k5_wrong_name_gets_exactly_the_not_found_answer(client, certificate):
    mismatch = post_verify(client, certificate.number, "李四")
    missing = post_verify(client, UNKNOWN_NUMBER, "张三丰")
    assert mismatch.status_code == missing.status_code == 200
    assert "未查到" in result_section(missing)
    same_mismatch = result_section(mismatch).replace(certificate.number, "<number>")
    same_missing = result_section(missing).replace(UNKNOWN_NUMBER, "<number>")
    assert same_mismatch == same_missing
    assert "南山精密机械有限公司" not in mismatch.text


def test_r_k2_legacy_16_digit_number_is_recognised_and_sent_to_the_national_system(
    client, settings
):
    settings.CERTIFICATE_QUERY_URL = "http://jndj.example.cn"
    section = result_section(post_verify(client, "1234 5678 9012 3456", "张三丰"))
    assert "未查到" in section
    assert "1234567890123456" in section
    assert "16 位" in section and "22 位" in section
    assert 'href="http://jndj.example.cn"' in section


def test_r_k5_both_fields_are_required_and_errors_name_the_field(client):
    response = client.post(VERIFY, {"number": "", "name": ""})
    assert response.status_code == 200
    assert "证书编号：请填写证书上印的证书编号。" in response.text
    assert "持证人姓名：请按证书上印的姓名填写持证人全名。" in response.text
    assert 'id="verification-result"' not in response.text
    kept = client.post(VERIFY, {"number": "Y0000440", "name": ""})
    assert 'value="Y0000440"' in kept.text


def test_r_k5_verification_form_is_protected_against_cross_site_posts(certificate):
    client = Client(enforce_csrf_checks=True)
    response = client.post(VERIFY, {"number": certificate.number, "name": "张三丰"})
    assert response.status_code == 403


def test_r_k5_names_are_posted_not_put_in_the_url(client, certificate):
    # A GET with the details in the query string does not run a verification.
    response = client.get(VERIFY, {"number": certificate.number, "name": "张三丰"})
    assert response.status_code == 200
    assert 'id="verification-result"' not in response.text


# The QR link -------------------------------------------------------------------------------


def test_r_k5_genuine_qr_token_shows_the_masked_result(client, certificate):
    response = client.get(reverse("certificate_qr", args=[make_token(certificate.public_id)]))
    assert response.status_code == 200
    section = result_section(response)
    assert "有效证书" in section and "张*丰" in section and certificate.number in section
    assert "张三丰" not in response.text


def test_r_k5_qr_link_of_a_revoked_certificate_says_so(client, certificate, alice):
    services.certificate_revoke(certificate=certificate, actor=alice, reason="证书被冒用")
    response = client.get(reverse("certificate_qr", args=[make_token(certificate.public_id)]))
    assert "已撤销" in result_section(response) and "证书被冒用" in result_section(response)


def test_r_k5_forged_and_unknown_qr_tokens_get_one_404_page(client, certificate):
    token = make_token(certificate.public_id)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    unknown = make_token("x" * 16)  # correctly signed, names no certificate
    answers = [client.get(reverse("certificate_qr", args=[t])) for t in (forged, unknown, "abc")]
    assert {a.status_code for a in answers} == {404}
    sections = {result_section(a) for a in answers}
    assert len(sections) == 1
    assert "未查到" in sections.pop()


# Rate limits -------------------------------------------------------------------------------


def test_r_k5_verification_is_rate_limited_per_client_with_429(client, certificate, settings):
    settings.VERIFY_RATE_LIMIT = "3/60"
    for _ in range(3):
        assert post_verify(client, certificate.number, "张三丰").status_code == 200
    refused = post_verify(client, certificate.number, "张三丰")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "查询过于频繁" in refused.text
    assert f'value="{certificate.number}"' in refused.text
    assert 'value="张三丰"' in refused.text
    assert 'id="verification-result"' not in refused.text
    # Another client address still gets answers.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert post_verify(other, certificate.number, "张三丰").status_code == 200


def test_r_k5_page_qr_link_and_api_share_one_limit(client, certificate, settings):
    settings.VERIFY_RATE_LIMIT = "2/60"
    qr = reverse("certificate_qr", args=[make_token(certificate.public_id)])
    assert client.get(qr).status_code == 200
    assert post_verify(client, certificate.number, "张三丰").status_code == 200
    limited_qr = client.get(qr)
    assert limited_qr.status_code == 429 and "Retry-After" in limited_qr
    assert "查询过于频繁" in limited_qr.text
    api = client.get(
        reverse("api_certificate_verify"), {"number": certificate.number, "name": "张三丰"}
    )
    assert api.status_code == 429


def test_r_k5_zero_rate_switches_the_limit_off(client, certificate, settings):
    settings.VERIFY_RATE_LIMIT = "0/60"
    for _ in range(40):
        assert post_verify(client, certificate.number, "张三丰").status_code == 200


# Holder download ---------------------------------------------------------------------------


def post_download(client: Client, number: str, name: str, id_number: str):
    return client.post(DOWNLOAD, {"number": number, "name": name, "id_number": id_number})


def test_r_k5_holder_downloads_own_valid_certificate_as_pdf(client, certificate):
    response = post_download(client, certificate.number, "张三丰", "44030519900101123x")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{certificate.number}.pdf"'
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert certificate.number in text
    assert "张三丰" in text


@pytest.mark.parametrize(
    ("number", "name", "id_number"),
    [
        ("certificate", "李四", "44030519900101123X"),  # wrong name
        ("certificate", "张三丰", "44030519900101123Y"),  # wrong ID number
        (UNKNOWN_NUMBER, "张三丰", "44030519900101123X"),  # no such certificate
        ("1234567890123456", "张三丰", "44030519900101123X"),  # legacy number
        ("Y00004401", "张三丰", "44030519900101123X"),  # not a number at all
    ],
)
def test_r_k5_every_holder_mismatch_gets_the_same_message(
    client, certificate, number, name, id_number
):
    number = certificate.number if number == "certificate" else number
    response = post_download(client, number, name, id_number)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert NO_MATCH in response.text
    messages = re.findall(r'<li class="msg error"[^>]*>(.*?)</li>', response.text, re.S)
    assert messages == [messages[0]] and NO_MATCH in messages[0]
    assert "已撤销" not in response.text and "替换" not in response.text


def test_r_k5_revoked_certificate_is_not_downloaded(client, certificate, alice):
    services.certificate_revoke(certificate=certificate, actor=alice, reason="证书被冒用")
    response = post_download(client, certificate.number, "张三丰", "44030519900101123X")
    assert response["Content-Type"].startswith("text/html")
    assert "已撤销" in response.text and "证书被冒用" in response.text


def test_r_k5_replaced_certificate_is_not_downloaded_and_names_the_new_one(
    client, certificate, alice
):
    new = services.certificate_replace(
        certificate=certificate, actor=alice, kind="reissue", reason="证书遗失"
    )
    response = post_download(client, certificate.number, "张三丰", "44030519900101123X")
    assert response["Content-Type"].startswith("text/html")
    assert "补办" in response.text and new.number in response.text
    # The new certificate downloads.
    downloaded = post_download(client, new.number, "张三丰", "44030519900101123X")
    assert downloaded["Content-Type"] == "application/pdf"
    assert new.number in pdf_text(downloaded.content)


def test_r_k5_holder_download_fields_are_required_and_input_kept(client):
    response = client.post(DOWNLOAD, {"number": "Y000044", "name": "", "id_number": "123"})
    assert response.status_code == 200
    assert "持证人姓名：" in response.text
    assert "证件号：请填写证书上印的完整证件号码，不要只填后几位。" in response.text
    assert 'value="Y000044"' in response.text


def test_r_k5_holder_download_is_rate_limited(client, certificate, settings):
    settings.HOLDER_DOWNLOAD_RATE_LIMIT = "2/600"
    settings.VERIFY_RATE_LIMIT = "1/60"  # a separate limit: verification does not use it up
    post_verify(client, certificate.number, "张三丰")
    for _ in range(2):
        assert (
            NO_MATCH in post_download(client, certificate.number, "李四", "44030519900101123X").text
        )
    refused = post_download(client, certificate.number, "张三丰", "44030519900101123X")
    assert refused.status_code == 429
    assert "Retry-After" in refused
    assert "查询过于频繁" in refused.text
    assert f'value="{certificate.number}"' in refused.text
