"""Access-matrix rows and objects of the supervision area 'complaint' (merged by
tests/test_access_matrix.py). ROWS: url name → (object key, GET roles, POST roles).

The public pages (R-M5) answer everyone; a complaint about A is routed to 南山, so dora handles
it, the city (carl, cora) sees it and may pass it on, and everyone else gets a 404."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from supervision.complaints.services import (
    ComplaintFile,
    complaint_submit,
    complaint_take,
    email_confirmation_token,
)
from tests.supervision.personas import A_READERS, AREA_STAFF, EVERYONE, SHENZHEN_CITY

ROWS: dict = {
    "complaint_create": (None, EVERYONE, EVERYONE),
    # Without a complaint just filed in the session it redirects to the form.
    "complaint_received": (None, EVERYONE, None),
    "complaint_track": (None, EVERYONE, EVERYONE),
    # The link mailed to a complainant's address: whoever holds it may confirm the address.
    "complaint_confirm_email": ("complaint_email_token", EVERYONE, EVERYONE),
    "complaint_list": (None, AREA_STAFF, None),
    "complaint_detail": ("complaint", A_READERS, None),
    "complaint_attachment": ("complaint_attachment", A_READERS, None),
    "complaint_take": ("complaint", None, {"dora"}),
    "complaint_answer": ("handled_complaint", {"dora"}, {"dora"}),
    "complaint_reassign": ("complaint", SHENZHEN_CITY, SHENZHEN_CITY),
}

TODAY = dt.date(2026, 11, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name: str = "收据.pdf") -> ComplaintFile:
    upload = SimpleUploadedFile(name, PDF, content_type="application/pdf")
    return ComplaintFile(
        upload=upload, content_type="application/pdf", extension="pdf", size=len(PDF), sha256="0"
    )


def public_form(institution, **overrides) -> dict:
    """What a visitor posts on the public complaint form about the `institution` (a pk)."""
    return {
        "institution": str(institution),
        "enterprise_name": "",
        "city": "",
        "category": "cheating",
        "subject": "理论考试有人替考",
        "body": "11月1日上午的理论考试，考场二有两名考生由他人代考。",
        "contact_name": "王建华",
        "contact_phone": "13812345678",
        "contact_email": "",
        "website": "",
        **overrides,
    }


def complaint_about(
    enterprise,
    *,
    phone: str = "13812345678",
    email: str = "",
    files=(),
    today: dt.date = TODAY,
    **data,
):
    """A complaint from the public about `enterprise`, routed as the public form routes it."""
    values = {
        "enterprise_name": "",
        "category": "cheating",
        "subject": "理论考试有人替考",
        "body": "考场二有两名考生由他人代考。",
        "contact_name": "王建华",
        "contact_phone": phone,
        "contact_email": email,
    }
    values.update(data)
    return complaint_submit(
        data=values, enterprise=enterprise, city=None, files=list(files), today=today
    )


def objects(*, enterprise, people: dict, world: dict) -> dict:
    received = complaint_about(enterprise, files=[pdf_file()])
    handled = complaint_about(enterprise, phone="13900001111")
    complaint_take(complaint=handled, actor=people["dora"])
    mailed = complaint_about(enterprise, phone="13900002222", email="wang@example.com")
    return {
        "complaint_email_token": {"token": email_confirmation_token(mailed)},
        "complaint": {"pk": received.pk},
        "complaint_attachment": {
            "pk": received.pk,
            "attachment_id": received.attachments.get().pk,
        },
        "handled_complaint": {"pk": handled.pk},
    }
