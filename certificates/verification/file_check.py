"""Verify a file: an uploaded certificate PDF, checked by its signature and against the
register.

The register is consulted only for a number read from the signed part of a file whose
signature is intact and chains to a trusted root: a file anyone can make, signed by anyone,
cannot be used to look up certificates by number alone.
"""

import datetime as dt
from dataclasses import dataclass

from assessments.rosters.reader.format import level_text
from certificates.models import Certificate
from certificates.signing.checking import SignatureCheck, check_signature
from certificates.verification.lookup import Verification, verify_number
from filings.models import Filing, FilingStatus

# Filings that were in force on some day: a filing removed or cancelled later still covered
# the certificates issued while it stood.
_FILED = [FilingStatus.APPROVED, FilingStatus.REMOVED, FilingStatus.CANCELLED]


@dataclass(frozen=True)
class FilingCover:
    covered: bool
    filing_number: str
    occupation: str
    level: str
    issued_on: dt.date


@dataclass(frozen=True)
class FileVerification:
    signature: SignatureCheck
    verification: Verification | None = None  # the register's answer, masked
    filing: FilingCover | None = None

    @property
    def checked_register(self) -> bool:
        return self.signature.trusted and bool(self.signature.number)


def filing_cover(certificate: Certificate) -> FilingCover:
    """Whether a filing of the issuer covered the certificate's occupation and level on its
    issue date (R-F3 scope lines, in force from approval to valid_until)."""
    filings = (
        Filing.objects.filter(
            enterprise_id=certificate.enterprise_id,
            status__in=_FILED,
            approved_on__lte=certificate.issued_on,
            valid_until__gte=certificate.issued_on,
            scope_lines__occupation__code=certificate.occupation_code,
        )
        .order_by("-approved_on")
        .values_list("number", "scope_lines__occupation__code", "scope_lines__levels")
    )
    number = ""
    for filing_number, code, levels in filings:
        if code == certificate.occupation_code and certificate.level in (levels or []):
            number = filing_number
            break
    return FilingCover(
        covered=bool(number),
        filing_number=number or "",
        occupation=certificate.occupation_name,
        level=level_text(certificate.level, certificate.enterprise_level),
        issued_on=certificate.issued_on,
    )


def verify_file(content: bytes) -> FileVerification:
    signature = check_signature(content)
    if not (signature.trusted and signature.number):
        return FileVerification(signature=signature)
    verification = verify_number(signature.number)
    certificate = Certificate.objects.filter(number=signature.number).first()
    if verification is None or certificate is None:
        return FileVerification(signature=signature)
    return FileVerification(
        signature=signature, verification=verification, filing=filing_cover(certificate)
    )
