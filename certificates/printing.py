"""The printed certificate (R-K3): one A4 page per certificate, many per document.

The printed wording is the national reference style's and stays Chinese whatever language the
user reads the portal in: a certificate is an official Chinese document.

Speed (bench/run.py, `cert_batch_2000_s`): WeasyPrint's cost is per box laid out, and the
font's subsetting is per document. So a page is a handful of absolutely positioned boxes (the
labels and the values are one pre-formatted block each, not a table of cells), many pages share
one document (one font subset), the QR code is a one-pixel-per-module PNG with a fixed mask, and
a long value is wrapped here, before layout, so that labels and values stay on the same lines.
"""

import base64
import mimetypes
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from assessments.roster.format import LEVEL_LABELS
from certificates.models import Certificate
from certificates.tokens import make_token
from portal.core.pdf import render_pdf

TEMPLATE = "pdf/certificates.html"
# Width of the values column, in ems of the 12pt body text (see templates/pdf/certificates.html).
VALUE_COLUMN_EMS = 19
# Longer issuing institution names are set smaller so that four lines still fit above the QR code.
ISSUER_SHORT_CHARS = 44
LABELS = ("姓名", "证件类型", "证件号码", "职业名称", "工种", "职业技能等级", "证书编号")


@dataclass(frozen=True)
class PrintedCertificate:
    fields: str
    density: str  # "", "dense" or "denser": long values wrap onto more lines, set closer
    number: str
    issuer_name: str
    issuer_long: bool
    issued_on: str
    qr: str
    photo: str
    verify_url: str


def verify_url(certificate: Certificate) -> str:
    return settings.PORTAL_BASE_URL + reverse(
        "certificate_qr", args=[make_token(certificate.public_id)]
    )


def level_label(level: int) -> str:
    return LEVEL_LABELS.get(level, str(level))


def chinese_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _width(char: str) -> float:
    return 1.0 if unicodedata.east_asian_width(char) in "WF" else 0.55


# Chinese line-breaking rule: these never start a line; they stay at the end of the previous one.
_NO_LINE_START = set("，。、；：！？）》」』】〕,.;:!?)]}%·")


def wrap(text: str, width: float = VALUE_COLUMN_EMS) -> list[str]:
    """Lines of at most `width` ems; CJK characters are 1 em, others about half."""
    lines, line, used = [], "", 0.0
    for char in text:
        w = _width(char)
        if used + w > width and line and char not in _NO_LINE_START:
            lines.append(line)
            line, used = "", 0.0
        line += char
        used += w
    lines.append(line)
    return lines


def _qr_data_uri(url: str) -> str:
    # A fixed mask skips segno's search for the best one (about 10 ms a code); any mask scans.
    code = segno.make_qr(url, error="m", mask=2, boost_error=False)
    return code.png_data_uri(scale=1, border=0)


def _photo_data_uri(name: str) -> str:
    if not name:
        return ""
    try:
        with default_storage.open(name, "rb") as handle:
            content = handle.read()
    except OSError:
        return ""
    content_type = mimetypes.guess_type(name)[0] or "image/jpeg"
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


def printed(certificate: Certificate) -> PrintedCertificate:
    values = (
        certificate.holder_name,
        certificate.id_type,
        certificate.id_number,
        certificate.occupation_name,
        certificate.work_type_name or "--",
        level_label(certificate.level),
        certificate.number,
    )
    lines = []
    for label, value in zip(LABELS, values, strict=True):
        first, *rest = wrap(value)
        lines.append(f"{label}\t{first}")
        lines.extend(f"\t{more}" for more in rest)
    url = verify_url(certificate)
    return PrintedCertificate(
        fields="\n".join(lines),
        density="" if len(lines) <= 10 else "dense" if len(lines) <= 12 else "denser",
        number=certificate.number,
        issuer_name=certificate.issuer_name,
        issuer_long=len(certificate.issuer_name) > ISSUER_SHORT_CHARS,
        issued_on=chinese_date(certificate.issued_on),
        qr=_qr_data_uri(url),
        photo=_photo_data_uri(certificate.photo),
        verify_url=url,
    )


def certificates_pdf(certificates: Iterable[Certificate]) -> bytes:
    """One page per certificate, in the order given, as one PDF."""
    pages = [printed(certificate) for certificate in certificates]
    return render_pdf(
        TEMPLATE,
        {
            "pages": pages,
            "certificate_query_url": settings.CERTIFICATE_QUERY_URL,
            "institution_query_url": settings.INSTITUTION_QUERY_URL,
        },
    )
