"""The complaint part of a bureau reviewer's desk (R-M5): open complaints of their own bureau,
overdue first, then by due date."""

from django.db.models import F

from portal.core.access import BUREAU_ROLES
from supervision.models import Complaint, ComplaintStatus

DESK_ROWS = 10


def desk(*, user, membership, today) -> dict:
    if membership is None or membership.role not in BUREAU_ROLES:
        return {}
    open_complaints = Complaint.objects.filter(
        bureau_id=membership.bureau_id,
        status__in=[ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING],
    )
    rows = list(
        open_complaints.order_by(F("answer_due_on").asc(nulls_last=True), "created_at", "pk")[
            :DESK_ROWS
        ]
    )
    for complaint in rows:
        complaint.overdue = bool(complaint.answer_due_on and complaint.answer_due_on < today)
    return {
        "complaint_desk": True,
        "complaint_open": rows,
        "complaint_open_count": open_complaints.count(),
        "complaint_overdue_count": open_complaints.filter(answer_due_on__lt=today).count(),
    }
