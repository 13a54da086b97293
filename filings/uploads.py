"""R-F8 materials: type checked by content, not by name; size limited."""

import hashlib
from dataclasses import dataclass

import filetype
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

ALLOWED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str


def check_upload(upload) -> CheckedUpload:
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise forms.ValidationError(
            _("“%(name)s” is %(size)s; a material may be at most %(limit)s.")
            % {
                "name": upload.name,
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            }
        )
    if upload.size == 0:
        raise forms.ValidationError(_("“%(name)s” is empty.") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(8192)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED:
        raise forms.ValidationError(
            _(
                "“%(name)s” is not a PDF, JPEG or PNG file (checked by its content, whatever "
                "its name says); only these types are accepted."
            )
            % {"name": upload.name}
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedUpload(
        content_type=kind.mime,
        extension=ALLOWED[kind.mime],
        size=upload.size,
        sha256=digest.hexdigest(),
    )
