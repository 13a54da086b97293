"""R-K4: certificate data in the official roster format, with 证书编号 and 发证日期 filled.

Rows in, bytes out. The workbook is the roster export of assessments.spreadsheets (same title,
the 21 official columns, text ID and number columns, no formula cells). What was printed on the
certificate comes from the certificate, so a corrected name or ID number is reported as printed;
the rest of the row (phone, employer, hiring date, …) from the roster entry it was issued for.
"""

import copy
import datetime as dt
from collections.abc import Iterable

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as InvalidNumber

from assessments.models import RosterEntry
from assessments.rosters.reader import HEADERS
from assessments.rosters.spreadsheets import TITLE, _bytes, _roster_sheet, roster_export_rows
from certificates.models import Certificate
from portal.core.xlsx import new_workbook

# The ID types whose numbers carry the date of birth and the sex (GB 11643).
_GB11643_TYPES = {"居民身份证", "港澳台居民居住证"}


def _facts_from_id(id_type: str, number: str) -> tuple[dt.date, str] | None:
    """Birth date and sex written in a valid GB 11643 number, or None."""
    if id_type not in _GB11643_TYPES or len(number) != 18:
        return None
    try:
        ric.validate(number)
        born = ric.get_birth_date(number)
    except InvalidNumber:
        return None
    return born, "男" if int(number[16]) % 2 else "女"


def _as_printed(seq: int, certificate: Certificate) -> RosterEntry:
    """The certificate's roster entry with the printed fields of the certificate put in."""
    entry = copy.copy(certificate.entry)
    entry.seq = seq
    entry.institution_name = certificate.issuer_name
    entry.name = certificate.holder_name
    entry.id_type = certificate.id_type
    entry.id_number = certificate.id_number
    entry.occupation_code = certificate.occupation_code
    entry.occupation_name = certificate.occupation_name
    entry.work_type_name = certificate.work_type_name
    entry.level = certificate.level
    entry.enterprise_level = certificate.enterprise_level
    entry.certificate_number = certificate.number
    entry.issued_on = certificate.issued_on
    # A correction of the ID number (更正) also corrects the sex and birth date it encodes.
    facts = _facts_from_id(certificate.id_type, certificate.id_number)
    if facts is not None:
        entry.birth_date, entry.sex = facts
    return entry


def report_rows(certificates: Iterable[Certificate], *, masked: bool = True) -> Iterable[list]:
    entries = (_as_printed(seq, c) for seq, c in enumerate(certificates, start=1))
    # The official 21 columns only: the portal's own 人员类别 column is not reported.
    return (row[: len(HEADERS)] for row in roster_export_rows(entries, masked=masked))


def report_xlsx(certificates: Iterable[Certificate], *, masked: bool = True) -> bytes:
    """R-K4: one row per certificate (select_related("entry") keeps it to one query).

    The provincial system needs the full ID numbers (masked=False): that file is stored sealed
    and downloaded by a deliberate, audited action; the usual download is masked (PIPL)."""
    workbook = new_workbook()
    rows = report_rows(certificates, masked=masked)
    _roster_sheet(workbook, title_rows=[TITLE], headers=HEADERS, rows=rows)
    return _bytes(workbook)
