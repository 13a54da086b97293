"""A complainant's name, phone and e-mail are kept until the retention period after the answer
(portal.core.retention); then the complaint stays, without the person."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.core.audit import audit_record, register_labels
from portal.core.retention import RetentionRule, register
from supervision.models import Complaint

ANONYMISED_NAME = "—"


def expire_contacts(before) -> int:
    answered = Complaint.objects.filter(answered_at__lt=before).exclude(
        contact_name=ANONYMISED_NAME, contact_phone="", contact_email=""
    )
    count = 0
    for complaint in answered.only("pk").iterator():
        with transaction.atomic():
            Complaint.objects.filter(pk=complaint.pk).update(
                contact_name=ANONYMISED_NAME, contact_phone="", contact_email=""
            )
            audit_record(obj=complaint, actor=None, action="complaint_contact_expired")
        count += 1
    return count


def register_complaint_retention() -> None:
    register_labels(
        actions={"complaint_contact_expired": _("contact details removed (retention period over)")}
    )
    register(
        RetentionRule(
            kind="complaint_contacts",
            label=_("Complainants' contact details"),
            setting="RETENTION_COMPLAINT_CONTACT_DAYS",
            expire=expire_contacts,
        )
    )
