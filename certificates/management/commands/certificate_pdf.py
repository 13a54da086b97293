"""Write a holder's signed certificate PDF to a file, for operators and scripts."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.models import Certificate, CertificateStatus
from certificates.numbering import numbers as numbering
from certificates.printing.services import holder_pdf


class Command(BaseCommand):
    help = "Write the signed PDF of the certificate NUMBER (as its holder downloads it) to FILE."

    def add_arguments(self, parser) -> None:
        parser.add_argument("number", help="the certificate number, e.g. Y000044012345264000001")
        parser.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args, number: str, out: str, **options) -> None:
        number = numbering.normalise(number)
        certificate = Certificate.objects.filter(number=number).first()
        if certificate is None:
            raise CommandError(f"no certificate numbered {number}")
        content = holder_pdf(certificate)
        Path(out).write_bytes(content)
        valid = certificate.status == CertificateStatus.VALID
        note = "" if valid else f" (status: {certificate.get_status_display()})"
        self.stderr.write(f"{number}: {len(content)} bytes written to {out}{note}")
