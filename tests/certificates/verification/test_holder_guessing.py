"""R-K5 and PIPL: what the public verification answer reveals of the ID number cannot be turned
into the secret of the holder's download, and one certificate's download cannot be guessed at
from many addresses."""

import pytest
from django.test import Client
from django.urls import reverse

from certificates.verification.tokens import make_token
from tests.support.pdfs import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

API = reverse("api_certificate_verify")
VERIFY = reverse("certificate_verify")
DOWNLOAD = reverse("certificate_holder_download")
FULL_ID = "44030519900101123X"
UNKNOWN_NUMBER = "Y000044012345264999999"
NO_MATCH = "填写的信息与任何证书都不相符"
PAUSED = "下载尝试失败次数过多"


def from_address(number: int) -> Client:
    return Client(REMOTE_ADDR=f"10.1.{number // 250}.{number % 250 + 1}")


def download(client: Client, number: str, name: str, id_number: str, **extra):
    # id_tail: what the form asked for before; a guesser sends both.
    data = {"number": number, "name": name, "id_number": id_number, "id_tail": id_number[-6:]}
    return client.post(DOWNLOAD, {**data, **extra})


def is_pdf(response) -> bool:
    return response.get("Content-Type") == "application/pdf"


# What the public sees -----------------------------------------------------------------------


def test_r_k5_public_answers_show_only_the_first_and_last_character_of_the_id(client, certificate):
    masked = "4" + "*" * 16 + "X"
    assert client.get(API, {"number": certificate.number, "name": "张三丰"}).json()[
        "id_number"
    ] == (masked)
    page = client.post(VERIFY, {"number": certificate.number, "name": "张三丰"}).text
    qr_page = client.get(reverse("certificate_qr", args=[make_token(certificate.public_id)])).text
    for text in (page, qr_page):
        assert masked in text
        assert "440***" not in text and "123X" not in text


def test_r_k5_the_masked_answer_cannot_be_completed_into_a_download(client, certificate, settings):
    """The probe's attack: read the masked ID from the API, then try each day of the month for
    the unknown characters, each guess from another address."""
    settings.HOLDER_DOWNLOAD_RATE_LIMIT = "0/60"
    settings.HOLDER_DOWNLOAD_CERTIFICATE_FAILURES = "0/60"  # the guess alone, no lockout
    masked = client.get(API, {"number": certificate.number, "name": "张三丰"}).json()["id_number"]
    guesses = [masked[:12] + f"{day:02d}" + masked[14:] for day in range(1, 32)]
    answers = [
        download(from_address(index), certificate.number, "张三丰", guess)
        for index, guess in enumerate(guesses)
    ]
    assert not any(is_pdf(answer) for answer in answers)


def test_r_k5_the_last_six_characters_no_longer_download(client, certificate):
    response = client.post(
        DOWNLOAD, {"number": certificate.number, "name": "张三丰", "id_number": "01123X"}
    )
    assert not is_pdf(response)
    assert "证件号：请填写证书上印的完整证件号码" in response.text
    assert 'value="01123X"' in response.text


def test_r_k5_holder_downloads_with_the_full_id_number(client, certificate):
    typed = "４４０３０５ １９９００１０１ １２３ｘ"  # full-width, spaced, lower-case x
    response = client.post(
        DOWNLOAD, {"number": certificate.number, "name": "张三丰", "id_number": typed}
    )
    assert is_pdf(response)
    assert certificate.number in pdf_text(response.content)


# Failures per certificate, whatever the address ---------------------------------------------


def test_r_k5_five_failures_pause_one_certificate_for_every_address(client, certificate, settings):
    settings.HOLDER_DOWNLOAD_RATE_LIMIT = "0/60"
    settings.HOLDER_DOWNLOAD_CERTIFICATE_FAILURES = "5/86400"
    for index in range(5):
        wrong = f"4403051990020{index}123X"
        assert NO_MATCH in download(from_address(index), certificate.number, "张三丰", wrong).text
    # The holder, from an address never seen, with the right details: paused all the same.
    refused = download(from_address(99), certificate.number, "张三丰", FULL_ID)
    assert not is_pdf(refused)
    assert refused.status_code == 429
    assert PAUSED in refused.text and "24 小时" in refused.text
    assert int(refused["Retry-After"]) > 86000
    assert f'value="{certificate.number}"' in refused.text


def test_r_k5_the_pause_is_per_certificate_and_ends(client, certificate, settings, ent_a, alice):
    settings.HOLDER_DOWNLOAD_RATE_LIMIT = "0/60"
    settings.HOLDER_DOWNLOAD_CERTIFICATE_FAILURES = "2/86400"
    for index in range(2):
        download(from_address(index), certificate.number, "李四", FULL_ID)
    assert PAUSED in download(client, certificate.number, "张三丰", FULL_ID).text
    # Another certificate's number is not paused.
    assert NO_MATCH in download(client, UNKNOWN_NUMBER, "张三丰", FULL_ID).text
    # When the window has passed, the holder downloads.
    from django.core.cache import cache

    cache.clear()
    assert is_pdf(download(client, certificate.number, "张三丰", FULL_ID))


def test_r_k5_a_number_that_does_not_exist_is_paused_the_same_way(client, settings):
    """Otherwise the pause would tell which numbers exist."""
    settings.HOLDER_DOWNLOAD_RATE_LIMIT = "0/60"
    settings.HOLDER_DOWNLOAD_CERTIFICATE_FAILURES = "2/86400"
    answers = [download(from_address(i), UNKNOWN_NUMBER, "张三丰", FULL_ID) for i in range(3)]
    assert [NO_MATCH in answer.text for answer in answers] == [True, True, False]
    assert PAUSED in answers[2].text


def test_r_k5_a_successful_download_clears_the_failures(client, certificate, settings):
    settings.HOLDER_DOWNLOAD_RATE_LIMIT = "0/60"
    settings.HOLDER_DOWNLOAD_CERTIFICATE_FAILURES = "3/86400"
    for _round in range(2):
        for index in range(2):
            download(from_address(index), certificate.number, "李四", FULL_ID)
        assert is_pdf(download(client, certificate.number, "张三丰", FULL_ID))


def test_r_k5_form_errors_do_not_count_as_failures(client, certificate, settings):
    settings.HOLDER_DOWNLOAD_RATE_LIMIT = "0/60"
    settings.HOLDER_DOWNLOAD_CERTIFICATE_FAILURES = "1/86400"
    client.post(DOWNLOAD, {"number": certificate.number, "name": "张三丰", "id_number": "123"})
    assert is_pdf(download(client, certificate.number, "张三丰", FULL_ID))
