"""Signed holder PDFs (PAdES B-B): the holder's certificate PDF is signed by the configured
identity, the demo's own CA in the embedded demo, which production refuses."""

import io
import shutil
import warnings

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.management import call_command

from certificates.models import Certificate
from certificates.printing.services import holder_pdf
from certificates.signing import identity
from tests.support.pdfs import pdf_text

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pyhanko.keys import load_certs_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

pytestmark = pytest.mark.django_db


def _signatures(content: bytes):
    return PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures


def test_the_holder_pdf_validates_against_the_demo_root_and_names_its_signer(certificate):
    content = holder_pdf(certificate)

    roots = list(load_certs_from_pemder([str(identity.ensure_demo_identity() / "root.pem")]))
    (signature,) = _signatures(content)
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=roots))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert signature.sig_object["/Name"] == identity.DEMO_SIGNER_NAME
    assert "DEMO" in signature.signer_cert.subject.human_friendly
    assert certificate.number in signature.sig_object["/Reason"]
    assert certificate.issuer_name in signature.sig_object["/Reason"]


def test_a_kept_pdf_from_before_signing_is_rendered_again_signed(certificate):
    unsigned = b"%PDF-1.7 kept before signatures"
    certificate.pdf.save("certificates/holders/old.pdf", ContentFile(unsigned), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    certificate.refresh_from_db()

    content = holder_pdf(certificate)

    assert content != unsigned
    assert len(_signatures(content)) == 1
    certificate.refresh_from_db()
    assert holder_pdf(certificate) == content  # kept, signed, from now on


def test_the_batch_print_pdf_stays_unsigned(certificate):
    with certificate.batch.pdf.open("rb") as handle:
        batch = handle.read()

    assert _signatures(batch) == []


def test_certificate_pdf_command_writes_the_holders_signed_pdf(certificate, tmp_path):
    out = tmp_path / "certificate.pdf"

    call_command("certificate_pdf", certificate.number, out=str(out))

    content = out.read_bytes()
    assert certificate.number in pdf_text(content)
    assert "张三丰" in pdf_text(content)
    assert len(_signatures(content)) == 1


def test_production_refuses_to_sign_with_the_demo_identity_even_copied(settings, tmp_path):
    copied = tmp_path / "our-signer.p12"
    shutil.copy(identity.ensure_demo_identity() / "signer.p12", copied)
    settings.CERT_SIGNING_PKCS12 = str(copied)
    settings.CERT_SIGNING_PKCS12_PASSWORD = identity.DEMO_PASSWORD

    assert identity.signing_identity().demo  # the demo may use it

    settings.CERT_SIGNING_DEMO_ALLOWED = False
    with pytest.raises(ImproperlyConfigured, match="demo identity"):
        identity.signing_identity()


def test_production_without_an_identity_refuses_to_sign(settings):
    settings.CERT_SIGNING_DEMO_ALLOWED = False
    settings.CERT_SIGNING_PKCS12 = ""

    with pytest.raises(ImproperlyConfigured, match="CERT_SIGNING_PKCS12 must be set"):
        identity.signing_identity()
