"""Hostile workbooks and ZIPs, built from real files: a billion-laughs sheet, an external entity
reading file:///etc/passwd, ZIP bombs, lying directories, names climbing out of the archive."""

import io
import struct
import zipfile
from collections.abc import Callable

from tests.assessments.factories import roster_xlsx

SHEET = "xl/worksheets/sheet1.xml"

BILLION_LAUGHS_DTD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    "<!DOCTYPE worksheet [\n"
    '  <!ENTITY lol "lol">\n'
    + "".join(
        f'  <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
)
EXTERNAL_ENTITY_DTD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
)


def rebuild(data: bytes, change: Callable[[str, bytes], bytes | None]) -> bytes:
    """The same ZIP, each entry passed through `change(name, content)` (None drops it)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = change(info.filename, source.read(info))
            if content is not None:
                target.writestr(info.filename, content)
    return buffer.getvalue()


def with_entries(data: bytes, files: dict[str, bytes]) -> bytes:
    """The same ZIP with `files` added."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    return zip_of({**entries, **files})


def with_part(data: bytes, name: str, transform: Callable[[bytes], bytes]) -> bytes:
    return rebuild(data, lambda part, content: transform(content) if part == name else content)


def _with_entity(base: bytes | None, part: str, dtd: str, reference: bytes) -> bytes:
    """A real roster whose `part` declares `dtd` and whose first text is `reference`."""

    def declare_and_use(content: bytes) -> bytes:
        body = content.split(b"?>", 1)[-1]
        start = body.index(b"<t>") + 3
        end = body.index(b"</t>", start)
        return dtd.encode() + body[:start] + reference + body[end:]

    return with_part(base or roster_xlsx(2), part, declare_and_use)


def billion_laughs_xlsx(base: bytes | None = None, part: str = SHEET) -> bytes:
    """A real roster whose sheet declares the nine nested entities and uses &lol9; (10⁹ lols)."""
    return _with_entity(base, part, BILLION_LAUGHS_DTD, b"&lol9;")


def external_entity_xlsx(base: bytes | None = None, part: str = SHEET) -> bytes:
    """A real roster whose first cell is &xxe;, an entity reading /etc/passwd."""
    return _with_entity(base, part, EXTERNAL_ENTITY_DTD, b"&xxe;")


def zip_of(files: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def forge_declared_size(data: bytes, name: str, declared: int) -> bytes:
    """Rewrite the uncompressed size of `name` in the central directory and local header."""
    encoded = name.encode()
    result = bytearray(data)
    position = 0
    while True:
        position = result.find(encoded, position)
        if position == -1:
            return bytes(result)
        # Local header (PK\3\4, name at +30, size at +22) or central entry (PK\1\2, name at
        # +46, size at +24).
        if result[position - 30 : position - 26] == b"PK\x03\x04":
            struct.pack_into("<L", result, position - 30 + 22, declared)
        elif result[position - 46 : position - 42] == b"PK\x01\x02":
            struct.pack_into("<L", result, position - 46 + 24, declared)
        position += len(encoded)
