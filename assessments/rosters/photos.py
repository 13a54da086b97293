"""Holders' photos for certificates (R-K3): a ZIP of photos, each named by its ID number.

The ZIP is checked from its directory before anything is unpacked (portal.core.uploads: type,
entry count, unpacked size, ratios, names) and read through a bounded reader; each photo is
checked by content (JPEG or PNG that Pillow can read) and by size. Bytes in, photos and the
reasons for what was left out come back.
"""

import io
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from portal.core.uploads import UploadRefused, ZipLimits, ZipPackage

MAX_ZIP_BYTES = 200 * 1024 * 1024
MAX_ENTRIES = 25_000
MAX_UNCOMPRESSED_BYTES = 500 * 1024 * 1024
MAX_PHOTO_BYTES = 2 * 1024 * 1024
MAX_PIXELS = 4000 * 4000
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png"}
_IGNORED = ("__MACOSX/", "Thumbs.db", ".DS_Store")


class PhotoZipError(Exception):
    """The upload is not a ZIP of photos the portal can take; the message is for the user."""


@dataclass(frozen=True)
class Photo:
    member: str  # the file's name inside the ZIP
    content: bytes
    extension: str


def _member_name(info: zipfile.ZipInfo) -> str:
    """Windows tools in China write GBK names without the UTF-8 flag; zipfile reads cp437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def id_number_of(name: str) -> str:
    """The ID number a photo is named by: 110105194912310021.jpg, a lower-case x made X."""
    stem = PurePosixPath(name.replace("\\", "/")).stem
    return unicodedata.normalize("NFKC", stem).strip().upper()


def read_photo_zip(data: bytes) -> tuple[dict[str, Photo], list[tuple[str, str]]]:
    """{ID number: photo} and [(file in the ZIP, why it is not used)]."""
    field = _("ZIP of photos")
    if len(data) > MAX_ZIP_BYTES:
        raise PhotoZipError(
            _("%(field)s: the file is %(size)s; it may be at most %(limit)s.")
            % {
                "field": field,
                "size": filesizeformat(len(data)),
                "limit": filesizeformat(MAX_ZIP_BYTES),
            }
        )
    # One photo per examinee: the bounds follow the roster's 20,000 rows, not a workbook's.
    limits = ZipLimits(
        entries=MAX_ENTRIES,
        unpacked_bytes=MAX_UNCOMPRESSED_BYTES,
        ratio=settings.UPLOAD_ZIP_MAX_RATIO,
    )
    try:
        package = ZipPackage(
            data,
            field=field,
            limits=limits,
            not_zip=_("The file is not a ZIP archive; put the photos in a .zip file."),
        )
        photos: dict[str, Photo] = {}
        rejected: list[tuple[str, str]] = []
        for info in package.members:
            if info.is_dir():
                continue
            name = _member_name(info)
            base = PurePosixPath(name.replace("\\", "/")).name
            if name.startswith(_IGNORED) or base in _IGNORED or base.startswith("."):
                continue
            photo, reason = _read_photo(package, info, name)
            if photo is None:
                rejected.append((name, reason))
                continue
            id_number = id_number_of(name)
            if id_number in photos:
                rejected.append(
                    (
                        name,
                        _("Another photo, %(other)s, has the same ID number.")
                        % {"other": photos[id_number].member},
                    )
                )
                continue
            photos[id_number] = photo
    except UploadRefused as error:
        raise PhotoZipError(error.message) from None
    return photos, rejected


def _read_photo(package: ZipPackage, info: zipfile.ZipInfo, name: str) -> tuple[Photo | None, str]:
    if info.file_size > MAX_PHOTO_BYTES:
        return None, _("The photo is %(size)s; a photo may be at most %(limit)s.") % {
            "size": filesizeformat(info.file_size),
            "limit": filesizeformat(MAX_PHOTO_BYTES),
        }
    # Read through the bounded reader: never more than the size checked just above.
    content = package.read(info)
    kind = filetype.guess(content[:8192])
    if kind is None or kind.mime not in IMAGE_TYPES:
        return None, _("Not a JPEG or PNG photo (checked by its content).")
    try:
        with Image.open(io.BytesIO(content)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                return None, _("The photo has %(width)s×%(height)s pixels; that is too large.") % {
                    "width": width,
                    "height": height,
                }
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return None, _("The photo cannot be read as an image.")
    return Photo(member=name, content=content, extension=IMAGE_TYPES[kind.mime]), ""
