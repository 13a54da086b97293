"""Uploaded files, checked before anything trusts them: size, type by content, ZIP containers.

Every upload form goes through here:

- `check_file`: the size limit and the type read from the first bytes (magic numbers), never
  from the name or the browser's Content-Type; the error names the file, the field and the
  limit. The form is shown again with everything else the user entered.
- `ZipPackage`: a ZIP (photos) checked from its central directory before anything is unpacked:
  entry count, declared unpacked size, compression ratio per entry, names that are absolute or
  climb out with `..`, names given twice (two parsers could read different parts), encrypted
  or exotically compressed entries. Entries are inflated by a bounded reader from the raw
  compressed bytes: an entry that unpacks to more (or less) than its directory declares is
  refused, so a lying directory cannot feed a parser more than what was checked.
- `XlsxPackage`: a workbook (.xlsx is a ZIP of XML parts). On top of the ZIP checks, its parts
  must be present, and every part is scanned, streamed, before openpyxl or python-calamine see
  it: a DOCTYPE or an ENTITY declaration (billion laughs, external entities such as
  file:///etc/passwd) refuses the file, and so does XML that is not UTF-8 (a UTF-16 part would
  hide a DOCTYPE from a byte scan). Excel, WPS and LibreOffice write neither.
- `RequestSizeLimit`: the first upload handler; a request larger than every field's limit is
  stopped (400) before Django writes its files to disk.

Refusals raise `UploadRefused`, whose message is for the user; forms turn it into a field error.
"""

import hashlib
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# Entries smaller than this are never a bomb, whatever their ratio (an empty sheet of 2 KB
# compresses 50 times); the ratio bound applies above it.
RATIO_GRACE_BYTES = 1024 * 1024
CHUNK_BYTES = 1 << 20
# The parts every workbook has; python-calamine cannot read a workbook without them.
XLSX_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_LOCAL_SIGNATURE = b"PK\x03\x04"
_END_SIGNATURE = b"PK\x05\x06"
_END_SEARCH = 22 + 65535  # the record and the longest archive comment
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']")
_ASCII_NAMES = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}
_OTHER_ENCODINGS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\x4c\x6f\xa7\x94")
_DTD_WORDS = (b"DOCTYPE", b"ENTITY")
_TAIL = 16


class UploadRefused(Exception):
    """The file is refused; `message` says why, in the user's language, naming the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str


def check_size(upload, *, field: str, limit: int) -> None:
    """The size limit of `field` (a noun: "each material", "the roster"), before a byte is
    read; raises forms.ValidationError."""
    if upload.size > limit:
        raise forms.ValidationError(
            _("“%(name)s” is %(size)s; %(field)s may be at most %(limit)s.")
            % {
                "field": field,
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            }
        )
    if upload.size == 0:
        raise forms.ValidationError(_("“%(name)s” is empty.") % {"name": upload.name})


def check_file(
    upload,
    *,
    field: str,
    accepted: Mapping[str, str],
    limit: int,
    formats: str | None = None,
) -> CheckedUpload:
    """Size, then type by content: `accepted` maps content types to the stored extension."""
    check_size(upload, field=field, limit=limit)
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    if kind is None or kind.mime not in accepted:
        raise forms.ValidationError(
            _(
                "“%(name)s” is not a %(formats)s file (checked by its content, whatever its "
                "name says); %(field)s must be one of these."
            )
            % {
                "field": field,
                "name": upload.name,
                "formats": formats or formats_label(accepted),
            }
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        content_type=kind.mime,
        extension=accepted[kind.mime],
        size=upload.size,
        sha256=digest.hexdigest(),
    )


def formats_label(accepted: Mapping[str, str]) -> str:
    return "、".join(dict.fromkeys(extension.upper() for extension in accepted.values()))


# ZIP containers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZipLimits:
    entries: int
    unpacked_bytes: int
    ratio: int

    @classmethod
    def from_settings(cls) -> "ZipLimits":
        return cls(
            entries=settings.UPLOAD_ZIP_MAX_ENTRIES,
            unpacked_bytes=settings.UPLOAD_ZIP_MAX_UNCOMPRESSED_BYTES,
            ratio=settings.UPLOAD_ZIP_MAX_RATIO,
        )


def unsafe_name(name: str) -> bool:
    """Absolute (/x, \\x, C:x) or climbing out of the archive with a `..` part."""
    path = name.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path):
        return True
    return ".." in PurePosixPath(path).parts


class ZipPackage:
    """A ZIP checked from its central directory; members are read through a bounded reader."""

    def __init__(
        self,
        data: bytes,
        *,
        field: str,
        limits: ZipLimits | None = None,
        not_zip: str | None = None,
    ) -> None:
        self.field = field
        self.limits = limits or ZipLimits.from_settings()
        self._data = memoryview(data)
        not_zip = not_zip or _("%(field)s: the file is not a ZIP archive.") % {"field": field}
        declared = _declared_entries(data)
        if declared is None:
            raise UploadRefused(not_zip)
        self._check_count(declared)  # before zipfile reads a directory of a million entries
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                self.members = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            raise UploadRefused(not_zip) from None
        self._check_directory()

    def _refuse(self, message: str, **values) -> None:
        raise UploadRefused(message % {"field": self.field, **values})

    def _check_count(self, count: int) -> None:
        if count > self.limits.entries:
            self._refuse(
                _(
                    "%(field)s: the file holds %(count)s entries; at most %(limit)s are accepted. "
                    "It is refused as unsafe."
                ),
                count=count,
                limit=self.limits.entries,
            )

    def _check_directory(self) -> None:
        limits = self.limits
        self._check_count(len(self.members))
        seen: set[str] = set()
        unpacked = 0
        for info in self.members:
            name = info.filename
            if unsafe_name(name):
                self._refuse(
                    _(
                        "%(field)s: the entry name “%(part)s” is absolute or climbs out of the "
                        "archive (..). It is refused as unsafe."
                    ),
                    part=name,
                )
            if name in seen:
                self._refuse(
                    _(
                        "%(field)s: the entry %(part)s is in the file twice. It is refused as "
                        "unsafe."
                    ),
                    part=name,
                )
            seen.add(name)
            if info.flag_bits & 0x1 or info.compress_type not in (
                zipfile.ZIP_STORED,
                zipfile.ZIP_DEFLATED,
            ):
                self._refuse(
                    _(
                        "%(field)s: the entry %(part)s is encrypted or compressed in a way the "
                        "portal does not read. Save the file again without a password."
                    ),
                    part=name,
                )
            unpacked += info.file_size
        if unpacked > limits.unpacked_bytes:
            self._refuse(
                _(
                    "%(field)s: the file unpacks to %(size)s; at most %(limit)s are accepted. It "
                    "is refused as unsafe."
                ),
                size=filesizeformat(unpacked),
                limit=filesizeformat(limits.unpacked_bytes),
            )
        for info in self.members:
            if info.file_size > RATIO_GRACE_BYTES and (
                info.file_size > limits.ratio * max(info.compress_size, 1)
            ):
                self._refuse(
                    _(
                        "%(field)s: the entry %(part)s unpacks to %(ratio)s times its packed size; "
                        "at most %(limit)s times is accepted (a ZIP bomb). It is refused as "
                        "unsafe."
                    ),
                    part=info.filename,
                    ratio=info.file_size // max(info.compress_size, 1),
                    limit=limits.ratio,
                )

    def info(self, name: str) -> zipfile.ZipInfo | None:
        return next((info for info in self.members if info.filename == name), None)

    def iter_member(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The entry's bytes in chunks, inflated from its raw data and never past its declared
        size: more (or less) output than declared, or a wrong CRC, refuses the file."""
        raw = self._raw(info)
        produced = 0
        crc = 0
        if info.compress_type == zipfile.ZIP_STORED:
            chunks: Iterator[bytes] = (
                bytes(raw[start : start + CHUNK_BYTES]) for start in range(0, len(raw), CHUNK_BYTES)
            )
        else:
            chunks = _inflate(raw, limit=info.file_size)
        try:
            for chunk in chunks:
                produced += len(chunk)
                if produced > info.file_size:
                    self._damaged(info)
                crc = zlib.crc32(chunk, crc)
                yield chunk
        except zlib.error:
            self._damaged(info)
        if produced != info.file_size or crc != info.CRC:
            self._damaged(info)

    def read(self, info: zipfile.ZipInfo) -> bytes:
        return b"".join(self.iter_member(info))

    def _damaged(self, info: zipfile.ZipInfo) -> None:
        self._refuse(
            _(
                "%(field)s: the entry %(part)s does not unpack to what the file's directory "
                "declares (damaged or forged). It is refused as unsafe."
            ),
            part=info.filename,
        )

    def _raw(self, info: zipfile.ZipInfo) -> memoryview:
        start = info.header_offset
        header = bytes(self._data[start : start + _LOCAL_HEADER.size])
        if len(header) != _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
            self._damaged(info)
        *_fields, name_length, extra_length = _LOCAL_HEADER.unpack(header)
        begin = start + _LOCAL_HEADER.size + name_length + extra_length
        raw = self._data[begin : begin + info.compress_size]
        if len(raw) != info.compress_size:
            self._damaged(info)
        return raw


def _inflate(raw: memoryview, *, limit: int) -> Iterator[bytes]:
    """Raw deflate, at most CHUNK_BYTES out per step; stops after the step that passes `limit`
    (the caller refuses the entry then), so a bomb costs one chunk, not its size."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pending = raw
    produced = 0
    while not inflater.eof and produced <= limit:
        chunk = inflater.decompress(pending, CHUNK_BYTES)
        pending = inflater.unconsumed_tail
        if not chunk and not pending:
            # Input used up before the end of the stream: a truncated entry.
            raise zlib.error("truncated deflate stream")
        produced += len(chunk)
        yield chunk


def _declared_entries(data: bytes) -> int | None:
    """The entry count of the end-of-central-directory record (65535: ZIP64, look further);
    None when there is no such record (not a ZIP)."""
    position = data.rfind(_END_SIGNATURE, max(len(data) - _END_SEARCH, 0))
    if position == -1 or position + 22 > len(data):
        return None
    (count,) = struct.unpack_from("<H", data, position + 10)
    return 0 if count == 0xFFFF else count


# Workbooks -------------------------------------------------------------------------------------


class XlsxPackage(ZipPackage):
    """An .xlsx: the ZIP checks, its required parts, and every part scanned for DTDs."""

    def __init__(self, data: bytes, *, field: str, limits: ZipLimits | None = None) -> None:
        super().__init__(data, field=field, limits=limits, not_zip=_not_xlsx(field))
        names = {info.filename for info in self.members}
        for part in XLSX_REQUIRED_PARTS:
            if part not in names:
                raise UploadRefused(
                    _(
                        "%(field)s: the file is not an Excel workbook (.xlsx): its part %(part)s "
                        "is missing."
                    )
                    % {"field": field, "part": part}
                )
        self._scanned: set[str] = set()

    def iter_member(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        tail = b""
        first = True
        for chunk in super().iter_member(info):
            if first:
                self._check_encoding(info, chunk)
                first = False
            window = tail + chunk
            if b"<!" in window:
                self._check_declarations(info, window)
            tail = window[-_TAIL:]
            yield chunk
        self._scanned.add(info.filename)

    def read_part(self, name: str) -> bytes | None:
        info = self.info(name)
        return None if info is None else self.read(info)

    def verify(self, consumers: Mapping[str, Callable[[bytes], None]] | None = None) -> None:
        """Scan every part not scanned yet; `consumers` get the chunks of the parts they name."""
        consumers = consumers or {}
        for info in self.members:
            consumer = consumers.get(info.filename)
            if info.filename in self._scanned and consumer is None:
                continue
            for chunk in self.iter_member(info):
                if consumer is not None:
                    consumer(chunk)

    def _check_encoding(self, info: zipfile.ZipInfo, head: bytes) -> None:
        # The signatures by which an XML parser detects UTF-16, UCS-4 or EBCDIC (XML 1.0,
        # appendix F): in those a DOCTYPE is not the bytes the scan looks for.
        start = head[:4]
        other = start.startswith(_OTHER_ENCODINGS) or (b"\0" in start and b"<" in start)
        declared = _XML_DECLARATION.match(head[:512].removeprefix(b"\xef\xbb\xbf"))
        if other or (declared and declared.group(1).strip().lower() not in _ASCII_NAMES):
            self._refuse(
                _(
                    "%(field)s: the part %(part)s is not UTF-8 XML, which is all Excel writes. "
                    "It is refused as unsafe."
                ),
                part=info.filename,
            )

    def _check_declarations(self, info: zipfile.ZipInfo, window: bytes) -> None:
        position = window.find(b"<!")
        while position != -1:
            word = window[position + 2 : position + 2 + 7].upper()
            if word.startswith(_DTD_WORDS):
                self._refuse(
                    _(
                        "%(field)s: the part %(part)s declares a DOCTYPE or an ENTITY (an XML "
                        "bomb or an external entity); Excel never writes one. It is refused as "
                        "unsafe."
                    ),
                    part=info.filename,
                )
            position = window.find(b"<!", position + 2)


def _not_xlsx(field: str) -> str:
    return _("%(field)s: the file is not an Excel workbook (.xlsx).") % {"field": field}


def check_xlsx(data: bytes, *, field: str) -> XlsxPackage:
    """Every check of a workbook, every part scanned; what comes back is safe to parse."""
    package = XlsxPackage(data, field=field)
    package.verify()
    return package


# The request ------------------------------------------------------------------------------------


class RequestSizeLimit(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: a multipart request larger than UPLOAD_REQUEST_MAX_BYTES
    is refused (400) before Django writes its files to a temporary file; the forms' own limits
    are all smaller, so only a hostile or mistaken client meets this one."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):  # noqa: N803 (Django's name)
        self._received = 0
        if content_length > settings.UPLOAD_REQUEST_MAX_BYTES:
            raise RequestDataTooBig(
                f"Upload of {content_length} bytes exceeds UPLOAD_REQUEST_MAX_BYTES"
            )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        # Counted too, should a body be longer than its Content-Length says.
        self._received += len(raw_data)
        if self._received > settings.UPLOAD_REQUEST_MAX_BYTES:
            raise RequestDataTooBig("Upload exceeds UPLOAD_REQUEST_MAX_BYTES")
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
