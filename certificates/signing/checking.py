"""What a PDF's signature says: intact or altered, how much of the file it covers, who signed
it and whether that identity chains to a trusted root (CERT_TRUST_ROOTS), and the certificate
number the signed revision carries.

The caller bounds the size; the parsing is pyHanko's, lazy, and reads only what validation
needs. Whatever a hostile or broken file makes the parser raise is an answer ("malformed"),
never a server error.
"""

import datetime as dt
import io
import logging
import warnings
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from django.conf import settings

from certificates.numbering import numbers as numbering
from certificates.signing.identity import DEMO_UNIT, trust_roots
from certificates.signing.pades import NUMBER_KEY

log = logging.getLogger(__name__)

NOT_PDF = "not_pdf"
MALFORMED = "malformed"
UNSIGNED = "unsigned"


@dataclass(frozen=True)
class SignatureCheck:
    problem: str = ""  # NOT_PDF, MALFORMED, UNSIGNED, or "" when a signature was checked
    file_bytes: int = 0
    intact: bool = False  # the signed bytes are those that were signed
    whole_file: bool = False  # … and nothing was added after the signature
    signed_bytes: int = 0  # how far into the file the signature reaches
    changes_after: str = ""  # pyHanko's judgement of what was added after it
    signer: str = ""
    signer_organisation: str = ""
    trusted: bool = False  # chains to a root of CERT_TRUST_ROOTS
    demo: bool = False
    signed_at: dt.datetime | None = None
    number: str = ""  # the certificate number the signed revision carries, if intact


def _attribute(name: dict, key: str) -> str:
    value = name.get(key, "")
    return str(value[0] if isinstance(value, list) else value)


def _asn1_roots():
    from asn1crypto import x509 as asn1_x509

    return [
        asn1_x509.Certificate.load(root.public_bytes(serialization.Encoding.DER))
        for root in trust_roots()
    ]


def _signed_number(reader, signature) -> str:
    info = reader.get_historical_resolver(signature.signed_revision).trailer_view.get("/Info")
    if info is None:
        return ""
    number = numbering.normalise(str(info.get_object().get(NUMBER_KEY, "")))[:40]
    return number if numbering.kind_of(number) == numbering.OURS else ""


def _check(content: bytes, roots: list) -> SignatureCheck:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko.sign.validation.status import SignatureCoverageLevel
        from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(content), strict=False)
    signatures = reader.embedded_signatures
    if not signatures:
        return SignatureCheck(problem=UNSIGNED, file_bytes=len(content))
    signature = signatures[0]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=roots))
    subject = signature.signer_cert.subject.native
    issuer = signature.signer_cert.issuer.native
    demo_allowed = settings.CERT_SIGNING_DEMO_ALLOWED
    demo = DEMO_UNIT in (
        _attribute(subject, "organizational_unit_name"),
        _attribute(issuer, "organizational_unit_name"),
    )
    intact = bool(status.intact and status.valid)
    byte_range = list(signature.byte_range)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return SignatureCheck(
        file_bytes=len(content),
        intact=intact,
        whole_file=intact and whole,
        signed_bytes=byte_range[2] + byte_range[3],
        changes_after="" if whole else str(getattr(status.modification_level, "name", "")),
        signer=_attribute(subject, "common_name") or signature.signer_cert.subject.human_friendly,
        signer_organisation=_attribute(subject, "organization_name"),
        # A demo identity is never trusted in production, whatever roots are configured.
        trusted=intact and bool(status.trusted) and (demo_allowed or not demo),
        demo=demo,
        signed_at=signature.self_reported_timestamp,
        number=_signed_number(reader, signature) if intact else "",
    )


def check_signature(content: bytes) -> SignatureCheck:
    if content.lstrip()[:5] != b"%PDF-":
        return SignatureCheck(problem=NOT_PDF, file_bytes=len(content))
    roots = _asn1_roots()  # outside the try: a configuration error is the operator's to see
    try:
        return _check(content, roots)
    except Exception as exc:  # noqa: BLE001 (a hostile file may make the parser raise anything)
        log.info("verify a file: unreadable PDF (%s: %s)", type(exc).__name__, exc)
        return SignatureCheck(problem=MALFORMED, file_bytes=len(content))
