"""An uploaded file (a filing's material, an assessment's evidence, a finding's evidence, a
complaint's attachment) sent to a user who passed the area's access gate: as a download under its
original name, never kept by a cache."""

from django.http import FileResponse

from portal.core.audit import audit_file_sent


def attachment_download(attachment) -> FileResponse:
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    audit_file_sent(attachment.original_name)
    return response
