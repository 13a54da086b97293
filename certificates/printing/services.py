"""The holder's own certificate PDF, kept until the certificate changes."""

from django.core.files.base import ContentFile

from certificates.models import Certificate


def holder_pdf(certificate: Certificate) -> bytes:
    """One certificate's PDF; rendered on first request, then kept until the status changes."""
    from certificates.printing.documents import certificates_pdf

    if certificate.pdf:
        try:
            with certificate.pdf.open("rb") as handle:
                return handle.read()
        except FileNotFoundError:
            pass
    content = certificates_pdf([certificate])
    certificate.pdf.save(f"{certificate.public_id}.pdf", ContentFile(content), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    return content


def drop_holder_pdf(certificate: Certificate) -> None:
    if certificate.pdf:
        certificate.pdf.delete(save=False)
        Certificate.objects.filter(pk=certificate.pk).update(pdf="")
