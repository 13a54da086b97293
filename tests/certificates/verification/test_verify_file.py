"""Verify a file: anyone uploads a certificate PDF and learns whether it was altered since it
was signed, who signed it, and the certificate's status in the register.

The page is read in English here: the Chinese wording comes with locale/pending/ecert-sign.json
when the integrator merges it.
"""

import io
import re

import pikepdf
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from certificates.models import Certificate
from certificates.printing.documents import certificates_pdf
from certificates.printing.services import holder_pdf
from certificates.revocation import services
from certificates.signing import identity
from certificates.signing.pades import sign_certificate_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

VERIFY_FILE = reverse("certificate_verify_file")


@pytest.fixture
def reader() -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def upload(client: Client, content: bytes, name: str = "certificate.pdf"):
    return client.post(VERIFY_FILE, {"file": SimpleUploadedFile(name, content, "application/pdf")})


def file_result(response) -> str:
    match = re.search(r'<section id="file-result".*?</section>', response.text, re.S)
    assert match, "no file result"
    return re.sub(r"\s+", " ", match.group(0))


def register(response) -> str:
    match = re.search(r'<section id="verification-result".*?</section>', response.text, re.S)
    return re.sub(r"\s+", " ", match.group(0)) if match else ""


def test_the_verify_page_offers_to_verify_a_file(client):
    assert VERIFY_FILE in client.get(reverse("certificate_verify")).text
    page = client.get(VERIFY_FILE).text
    assert 'enctype="multipart/form-data"' in page
    assert "<script>" not in page  # CSP: no inline script


def test_an_untouched_signed_pdf_is_intact_signed_trusted_valid_and_within_the_filing(
    reader, certificate
):
    response = upload(reader, holder_pdf(certificate))

    assert response.status_code == 200
    result = file_result(response)
    assert "Intact since signing" in result
    assert "unchanged since it was signed" in result
    assert identity.DEMO_SIGNER_NAME in result
    assert "demo (DEMO)" in result
    assert "chains to a root this portal trusts" in result
    assert "The issuer's filing" in result and "covered 车工" in result
    assert "2026-11-20" in result
    found = register(response)
    assert "Valid certificate" in found
    assert certificate.number in found and "张*丰" in found
    assert "张三丰" not in response.text and "44030519900101123X" not in response.text


def _changed_byte(content: bytes) -> bytes:
    """One byte changed inside the first stream of the file, long before the signature."""
    signed = bytearray(content)
    start = content.index(b"stream", 200) + 20  # inside the first stream, well before the signature
    signed[start] ^= 0x01
    return bytes(signed)


def test_one_byte_changed_in_the_signed_content_shows_the_file_was_altered(reader, certificate):
    response = upload(reader, _changed_byte(holder_pdf(certificate)))

    result = file_result(response)
    assert "Altered after signing" in result
    assert "no longer matches the signature" in result
    assert "Intact since signing" not in result
    assert register(response) == ""  # nothing from an altered file is looked up


def test_content_added_after_the_signature_says_where_the_signature_stops(reader, certificate):
    signed = holder_pdf(certificate)
    pdf = pikepdf.open(io.BytesIO(signed))
    pdf.docinfo["/Title"] = "改过的证书"
    buffer = io.BytesIO()
    pdf.save(buffer)  # a full rewrite, as a PDF editor would
    appended = signed + b"\n% added after signing\n"

    result = file_result(upload(reader, appended))
    assert "Changed after signing" in result
    assert f"covers only its first {len(signed)} of {len(appended)} bytes" in result

    rewritten = file_result(upload(reader, buffer.getvalue()))
    assert "Intact since signing" not in rewritten


def test_a_revoked_certificates_signed_pdf_is_intact_but_revoked(reader, certificate, alice):
    signed = holder_pdf(certificate)
    services.certificate_revoke(certificate=certificate, actor=alice, reason="证书被冒用")

    response = upload(reader, signed)

    assert "Intact since signing" in file_result(response)
    found = register(response)
    assert "Revoked, no longer valid" in found
    assert "证书被冒用" in found


def test_a_pdf_signed_by_someone_else_is_not_ours_and_consults_no_register(
    reader, certificate, tmp_path
):
    identity._demo_files(tmp_path)  # another CA, which this portal does not trust
    with override_settings(
        CERT_SIGNING_PKCS12=str(tmp_path / "signer.p12"),
        CERT_SIGNING_PKCS12_PASSWORD=identity.DEMO_PASSWORD,
    ):
        foreign = sign_certificate_pdf(
            certificates_pdf([certificate]), number=certificate.number, issuer_name="冒充的机构"
        )

    response = upload(reader, foreign)

    result = file_result(response)
    assert "Not signed by this portal" in result
    assert "does not chain to a root this portal trusts" in result
    assert register(response) == ""


def test_a_foreign_signers_name_is_quoted_as_a_claim_not_shown_as_the_signer(
    reader, certificate, tmp_path
):
    """A self-made identity can carry a bureau's name: the page must not say "Signed by" it."""
    identity._demo_files(tmp_path)
    with override_settings(
        CERT_SIGNING_PKCS12=str(tmp_path / "signer.p12"),
        CERT_SIGNING_PKCS12_PASSWORD=identity.DEMO_PASSWORD,
    ):
        foreign = sign_certificate_pdf(
            certificates_pdf([certificate]), number=certificate.number, issuer_name="冒充的机构"
        )

    result = file_result(upload(reader, foreign))

    assert "Signed by:" not in result
    assert "calls its signer" in result and "not vouched for" in result


@pytest.mark.parametrize(
    ("content", "answer"),
    [
        (b"GIF89a not a pdf at all", "This file is not a PDF"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 8, "This PDF cannot be read"),
    ],
)
def test_garbage_and_malformed_files_get_a_plain_answer(reader, content, answer):
    response = upload(reader, content)

    assert response.status_code == 200
    assert answer in file_result(response)


def test_an_unsigned_pdf_says_it_carries_no_signature(reader, certificate):
    with certificate.batch.pdf.open("rb") as handle:
        batch = handle.read()  # the batch print PDF: unsigned

    result = file_result(upload(reader, batch))
    assert "No electronic signature" in result


def test_an_oversized_file_is_refused_unread(reader, settings, monkeypatch):
    settings.VERIFY_FILE_MAX_BYTES = 2 * 1024 * 1024
    read = []
    monkeypatch.setattr(
        "certificates.verification.views.verify_file", lambda content: read.append(content)
    )
    just_over = b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024)
    far_over = b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024)

    response = upload(reader, just_over)
    assert response.status_code == 200
    assert "larger than 2 MB and was not read" in response.text

    response = upload(reader, far_over)
    assert response.status_code == 413
    assert "larger than 2 MB and was not read" in response.text
    assert read == []


def test_uploads_are_rate_limited_per_client(reader, settings):
    settings.VERIFY_FILE_RATE_LIMIT = "2/60"

    for _ in range(2):
        assert upload(reader, b"not a pdf").status_code == 200
    response = upload(reader, b"not a pdf")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_an_upload_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)

    response = upload(client, b"%PDF-1.7")

    assert response.status_code == 403


def test_a_certificate_its_issuers_filing_did_not_cover_says_so(reader, certificate):
    signed = holder_pdf(certificate)
    Certificate.objects.filter(pk=certificate.pk).update(level=1)  # not among 五级至三级

    result = file_result(upload(reader, signed))

    assert "Intact since signing" in result
    assert "No filing of the issuer covered 车工" in result


def test_only_the_roots_of_cert_trust_roots_are_trusted(reader, certificate, settings, tmp_path):
    signed = holder_pdf(certificate)
    identity._demo_files(tmp_path)
    settings.CERT_TRUST_ROOTS = [str(tmp_path / "root.pem")]  # another root only

    response = upload(reader, signed)

    assert "Not signed by this portal" in file_result(response)
    assert register(response) == ""
