"""The printed certificate (R-K3): one A4 page per certificate, many per document.

The printed wording is the national reference style's and stays Chinese whatever language the
user reads the portal in: a certificate is an official Chinese document.

Two renderers print the same page. certificates.stamping (used for everything) has WeasyPrint
draw what the pages share once per document and writes each certificate's text onto its page;
the reference layout, templates/pdf/certificates.html, is WeasyPrint laying out a whole page per
certificate. Stamping uses the reference for a certificate whose characters the font lacks, and
the tests compare the two. Positions below are those of the reference template.
"""

import base64
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass

import segno
from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from assessments.rosters.reader.format import level_text
from certificates.models import Certificate
from certificates.printing import stamping
from certificates.verification.tokens import make_token
from filings.models import Enterprise
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
    # The issuer's provincial query site, printed under the national ones ("" when none).
    query_site: str = ""


def verify_url(certificate: Certificate) -> str:
    return settings.PORTAL_BASE_URL + reverse(
        "certificate_qr", args=[make_token(certificate.public_id)]
    )


def chinese_date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def query_site_line(site: tuple[str, str] | None) -> str:
    """The printed line of a province's own query site (seed 004 §三(三)), "" for none."""
    return f"省级查询：{site[0]} {site[1]}" if site else ""


def query_sites(certificates: Iterable[Certificate]) -> dict[int, str]:
    """enterprise id → the printed line of its province's query site, in one query: the
    province's, or a municipality's own (Bureau.query_site)."""
    ids = {certificate.enterprise_id for certificate in certificates}
    rows = Enterprise.objects.filter(pk__in=ids).values_list(
        "pk",
        "district__parent__parent__query_site_name",
        "district__parent__parent__query_site_url",
        "district__parent__parent_id",
        "district__parent__query_site_name",
        "district__parent__query_site_url",
    )
    lines = {}
    for pk, province_name, province_url, province_id, city_name, city_url in rows:
        if province_id is not None:
            site = (province_name, province_url) if province_url else None
        else:
            site = (city_name, city_url) if city_url else None
        lines[pk] = query_site_line(site)
    return lines


def _width(char: str) -> float:
    """Advance of a character in ems of the PDF font (1 when the font lacks it)."""
    return stamping.metrics().advance.get(ord(char), 1.0)


# Chinese line-breaking rule: these never start a line; they stay at the end of the previous one.
_NO_LINE_START = set("，。、；：！？）》」』】〕,.;:!?)]}%·")


def wrap(text: str, width: float = VALUE_COLUMN_EMS) -> list[str]:
    """Lines of at most `width` ems of the PDF font; both layouts wrap with it."""
    advance = stamping.metrics().advance
    lines, line, used = [], "", 0.0
    for char in text:
        w = advance.get(ord(char), 1.0)
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


def _photo_bytes(name: str) -> bytes | None:
    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _photo_data_uri(name: str) -> str:
    content = _photo_bytes(name)
    if content is None:
        return ""
    content_type = mimetypes.guess_type(name)[0] or "image/jpeg"
    return f"data:{content_type};base64,{base64.b64encode(content).decode()}"


def _values(certificate: Certificate) -> tuple[str, ...]:
    return (
        certificate.holder_name,
        certificate.id_type,
        certificate.id_number,
        certificate.occupation_name,
        certificate.work_type_name or "--",
        level_text(certificate.level, certificate.enterprise_level),
        certificate.number,
    )


def printed(certificate: Certificate, query_site: str | None = None) -> PrintedCertificate:
    if query_site is None:
        query_site = query_sites([certificate]).get(certificate.enterprise_id, "")
    values = _values(certificate)
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
        query_site=query_site,
    )


def _query_context() -> dict:
    return {
        "certificate_query_url": settings.CERTIFICATE_QUERY_URL,
        "institution_query_url": settings.INSTITUTION_QUERY_URL,
    }


def certificates_pdf_reference(certificates: Iterable[Certificate]) -> bytes:
    """The reference layout: WeasyPrint lays out every page (slow; see the module docstring)."""
    certificates = list(certificates)
    sites = query_sites(certificates)
    pages = [printed(c, sites.get(c.enterprise_id, "")) for c in certificates]
    return render_pdf(TEMPLATE, {"pages": pages, **_query_context()})


# Geometry of the reference template, in mm (fields, issuer, query lines, QR code).
FIELDS_LEFT, FIELDS_TOP = 28, 72
TAB_EMS = 7
FIELD_SETTINGS = {"": (12, 11), "dense": (12, 9), "denser": (10.5, 7.5)}  # size pt, line mm
ISSUER_LEFT, ISSUER_TOP, ISSUER_WIDTH = 80, 192, 104
QUERY_LEFT, QUERY_TOP, QUERY_WIDTH, QUERY_SIZE, QUERY_LINE = 60, 236, 124, 8.5, 5.5
QR_BOX = (28, 236, 26)
LABEL_GRAY, VALUE_GRAY, QUERY_GRAY = 0.333, 0.102, 0.267
PT_MM = 25.4 / 72


def _wrap_mm(text: str, width_mm: float, size: float) -> list[str]:
    return wrap(text, width_mm / (size * PT_MM))


def stamped_page(
    certificate: Certificate, fm, query_site: str | None = None
) -> stamping.Page | None:
    """The certificate as text runs, QR modules and photo; None when the font lacks a character
    of it (the reference layout prints it then)."""
    if query_site is None:
        query_site = query_sites([certificate]).get(certificate.enterprise_id, "")
    values = _values(certificate)
    url = verify_url(certificate)
    issuer = "发证机构：" + certificate.issuer_name
    issued = "发证日期：" + chinese_date(certificate.issued_on)
    printed_text = "".join(values) + issuer + issued + url + "".join(LABELS) + query_site
    if not fm.covers(printed_text):
        return None
    rows = []
    for label, value in zip(LABELS, values, strict=True):
        first, *rest = wrap(value)
        rows.append((label, first))
        rows.extend(("", more) for more in rest)
    density = "" if len(rows) <= 10 else "dense" if len(rows) <= 12 else "denser"
    size, line = FIELD_SETTINGS[density]
    value_left = FIELDS_LEFT + TAB_EMS * 12 * PT_MM
    runs = []
    for i, (label, value) in enumerate(rows):
        top = FIELDS_TOP + i * line
        runs.append(stamping.Run(label, FIELDS_LEFT, top, size, line, LABEL_GRAY))
        runs.append(stamping.Run(value, value_left, top, size, line, VALUE_GRAY))
    long_issuer = len(certificate.issuer_name) > ISSUER_SHORT_CHARS
    size, line = (10, 7) if long_issuer else (12, 9)
    issuer_lines = _wrap_mm(issuer, ISSUER_WIDTH, size) + [issued]
    for i, text in enumerate(issuer_lines):
        runs.append(stamping.Run(text, ISSUER_LEFT, ISSUER_TOP + i * line, size, line, VALUE_GRAY))
    # Below the two national query addresses the sheet prints: the province's own, if it keeps
    # one, then the certificate's own link.
    below = _wrap_mm(query_site, QUERY_WIDTH, QUERY_SIZE) if query_site else []
    below += _wrap_mm("扫码验证：" + url, QUERY_WIDTH, QUERY_SIZE)
    for i, text in enumerate(below):
        top = QUERY_TOP + (2 + i) * QUERY_LINE
        runs.append(stamping.Run(text, QUERY_LEFT, top, QUERY_SIZE, QUERY_LINE, QUERY_GRAY))
    code = segno.make_qr(url, error="m", mask=2, boost_error=False)
    modules = [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=0)]
    return stamping.Page(runs=runs, qr=modules, photo=_photo_bytes(certificate.photo))


def certificates_pdf(certificates: Iterable[Certificate]) -> bytes:
    """One page per certificate, in the order given, as one PDF (stamped; see the docstring)."""
    fm = stamping.metrics()
    if not fm.truetype:
        return certificates_pdf_reference(certificates)
    certificates = list(certificates)
    sites = query_sites(certificates)
    pages = []
    for certificate in certificates:
        page = stamped_page(certificate, fm, sites.get(certificate.enterprise_id, ""))
        pages.append(page if page is not None else certificates_pdf_reference([certificate]))
    return stamping.stamp(pages, context=_query_context(), qr_box=QR_BOX)
