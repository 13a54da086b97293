"""R-K3, R-K5: the QR code printed on a certificate scans (zbarimg) to a link that verifies it."""

import subprocess
from urllib.parse import urlsplit

import pytest

from certificates.printing.services import holder_pdf
from certificates.revocation import services
from tests.certificates.factories import issued_batch

pytestmark = pytest.mark.django_db


def scan(pdf: bytes, tmp_path) -> str:
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", "certificate.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "page.png"], cwd=tmp_path, capture_output=True, check=True
    )
    return result.stdout.decode().strip()


def test_r_k5_the_printed_qr_code_opens_the_certificates_verification(
    ent_a, alice, client, tmp_path
):
    certificate = issued_batch(ent_a, alice, "passed").certificates.get()
    url = scan(holder_pdf(certificate), tmp_path)
    parts = urlsplit(url)
    assert parts.path.startswith("/v/")
    # The link names no person: neither the holder's name nor the ID number is in it.
    assert certificate.holder_name not in url and certificate.id_number[-6:] not in url
    page = client.get(parts.path)
    assert page.status_code == 200
    text = page.content.decode()
    assert certificate.number in text
    assert certificate.holder_name[0] + "*" in text
    assert certificate.id_number not in text


def test_r_k5_a_revoked_certificates_qr_code_says_revoked_with_the_reason(
    ent_a, alice, client, tmp_path
):
    certificate = issued_batch(ent_a, alice, "passed").certificates.get()
    url = scan(holder_pdf(certificate), tmp_path)
    services.certificate_revoke(certificate=certificate, actor=alice, reason="考核存在替考行为")
    text = client.get(urlsplit(url).path).content.decode()
    assert "考核存在替考行为" in text
