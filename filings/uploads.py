"""R-F8 materials: type checked by content, not by name; size limited (portal.core.uploads)."""

from django.conf import settings
from django.utils.translation import gettext as _

from portal.core.uploads import CheckedUpload, check_file

ALLOWED = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

__all__ = ["ALLOWED", "CheckedUpload", "check_upload"]


def check_upload(upload, *, field: str | None = None) -> CheckedUpload:
    """A PDF, JPEG or PNG of at most UPLOAD_MAX_BYTES; raises a ValidationError naming `field`
    (a noun: "each material", "each attachment")."""
    return check_file(
        upload,
        field=field or _("each material"),
        accepted=ALLOWED,
        limit=settings.UPLOAD_MAX_BYTES,
        formats=_("PDF, JPEG or PNG"),
    )
