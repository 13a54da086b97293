"""R-K2: 22-character certificate numbers, and the shapes the verification page recognises.

Y 0000 44 012345 22 4 000001
│ │    │  │      │  │ └ serial, allocated per (enterprise, year, level), gap-free
│ │    │  │      │  └ level 1..5
│ │    │  │      └ last two digits of the issue year
│ │    │  └ site serial from the provincial department
│ │    └ province code
│ └ institution code (0000 when first filed with a province)
└ Y employer, S social training organisation
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.core.counters import allocate
from portal.core.errors import ServiceError

NUMBER_RE = re.compile(r"^([YS])(\d{4})(\d{2})(\d{6})(\d{2})([1-5])(\d{6})$")
LEGACY_RE = re.compile(r"^\d{16}$")
MAX_SERIAL = 999_999

OURS = "ours"
LEGACY = "legacy"
INVALID = "invalid"


@dataclass(frozen=True)
class ParsedNumber:
    category: str
    institution_code: str
    province_code: str
    site_serial: str
    year: int
    level: int
    serial: int


_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def normalise(raw: str) -> str:
    """What people type or paste: spaces, full-width digits and letters, lower case."""
    return "".join(raw.split()).translate(_HALF_WIDTH).upper()


def kind_of(number: str) -> str:
    if NUMBER_RE.match(number):
        return OURS
    if LEGACY_RE.match(number):
        return LEGACY
    return INVALID


def parse(number: str) -> ParsedNumber | None:
    match = NUMBER_RE.match(number)
    if match is None:
        return None
    category, institution, province, site, year, level, serial = match.groups()
    return ParsedNumber(category, institution, province, site, int(year), int(level), int(serial))


def format_number(prefix: str, year: int, level: int, serial: int) -> str:
    return f"{prefix}{year % 100:02d}{level}{serial:06d}"


def counter_key(enterprise_id: int, year: int, level: int) -> str:
    return f"certificate:{enterprise_id}:{year % 100:02d}:{level}"


def allocate_serials(*, enterprise_id: int, year: int, level: int, count: int) -> int:
    """Reserve `count` consecutive serials; call inside the transaction that inserts them."""
    first = allocate(counter_key(enterprise_id, year, level), count)
    if first + count - 1 > MAX_SERIAL:
        raise ServiceError(
            _(
                # R-K2
                "Certificate numbers: the 6-digit serial of level %(level)s in %(year)s would pass "
                "999999. Ask the city bureau for a new site serial."
            )
            % {"level": level, "year": year}
        )
    return first
