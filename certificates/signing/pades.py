"""PAdES B-B signatures on holder PDFs (pyHanko).

The certificate's number goes into the signed revision's document information
(/CertificateNumber, and the title), so that a checked file names the registry entry it claims
to be, covered by the signature.
"""

import io
import warnings

from django.conf import settings

from certificates.signing.identity import signing_identity

NUMBER_KEY = "/CertificateNumber"
FIELD_NAME = "CertificateSignature"
# Room for the CMS signature (an EC signature and a short chain take about 2 KB); reserved
# outright, as estimating it costs pyHanko a second signature per PDF.
SIGNATURE_BYTES = 8 * 1024


def _pyhanko():
    with warnings.catch_warnings():
        # pyHanko imports DSA support, which cryptography deprecates.
        warnings.simplefilter("ignore")
        from pyhanko.pdf_utils import generic
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers
    return generic, IncrementalPdfFileWriter, signers


def sign_certificate_pdf(content: bytes, *, number: str, issuer_name: str) -> bytes:
    """The PDF signed by the configured identity, which the signature names."""
    generic, IncrementalPdfFileWriter, signers = _pyhanko()
    identity = signing_identity()
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    info = generic.DictionaryObject(
        {
            generic.NameObject("/Title"): generic.TextStringObject(f"职业技能等级证书 {number}"),
            generic.NameObject("/Author"): generic.TextStringObject(issuer_name),
            generic.NameObject(NUMBER_KEY): generic.TextStringObject(number),
        }
    )
    writer.set_info(writer.add_object(info))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        name=identity.name,
        reason=f"{issuer_name} 颁发职业技能等级证书 {number}",
        location=settings.CERT_SIGNING_LOCATION or None,
        subfilter=None,
    )
    output = io.BytesIO()
    signers.PdfSigner(metadata, signer=identity.signer).sign_pdf(
        writer, bytes_reserved=SIGNATURE_BYTES, output=output
    )
    return output.getvalue()
