"""The holder's own certificate PDF, signed (PAdES), kept until the certificate changes."""

from django.core.files.base import ContentFile

from certificates.models import Certificate

# Kept PDFs are named …-signed.pdf: one kept under another name predates signing and is
# rendered again, signed, on its next request.
SIGNED_SUFFIX = "-signed.pdf"


def holder_pdf(certificate: Certificate) -> bytes:
    """One certificate's signed PDF; rendered and signed on first request, then kept until the
    status changes. The batch print PDF (certificates.issuance) stays unsigned."""
    from certificates.printing.documents import certificates_pdf
    from certificates.signing.pades import sign_certificate_pdf

    if certificate.pdf and certificate.pdf.name.endswith(SIGNED_SUFFIX):
        try:
            with certificate.pdf.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            pass
    drop_holder_pdf(certificate)
    content = sign_certificate_pdf(
        certificates_pdf([certificate]),
        number=certificate.number,
        issuer_name=certificate.issuer_name,
    )
    certificate.pdf.save(
        f"{certificate.public_id}{SIGNED_SUFFIX}", ContentFile(content), save=False
    )
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    return content


def drop_holder_pdf(certificate: Certificate) -> None:
    if certificate.pdf:
        certificate.pdf.delete(save=False)
        Certificate.objects.filter(pk=certificate.pk).update(pdf="")
