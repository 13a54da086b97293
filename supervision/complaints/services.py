"""Public complaints (R-M5): filed without logging in, routed to the responsible bureau, handled
and answered there, followed by the complainant with a reference number and their phone.

Writes live here: `complaint_submit`, `complaint_email_confirm`, `complaint_take`,
`complaint_answer`, `complaint_reassign`.
Side effects (e-mail to the complainant) run after the commit, so a refused write sends nothing
and a mail server that is down does not lose the complaint. Nothing about a complaint is mailed
to an address before its owner confirmed it (`complaint_email_confirm`).
"""

import datetime as dt
import hmac
import logging
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings.models import Enterprise
from portal.core import ratelimit, workdays
from portal.core.audit import audit_record, register_labels
from portal.core.errors import ServiceError
from portal.core.masking import mask_id_numbers
from portal.core.models import Bureau, BureauLevel, Membership, Role
from portal.core.workflow import locked, require_status, transition
from supervision.models import Complaint, ComplaintAttachment, ComplaintStatus
from supervision.notifications.services import notify_all

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: the reference is read out on the phone and typed from paper.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_PREFIX = "TS"
REFERENCE_SUFFIX_LENGTH = 6
REFERENCE_ATTEMPTS = 8
REFERENCE_RE = re.compile(rf"^{REFERENCE_PREFIX}\d{{8}}[{REFERENCE_ALPHABET}]{{6}}$")

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code 0xx or 0xxx, then 7 or 8 digits, optionally separated by a hyphen.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}$")

STATUS_LABELS = {
    ComplaintStatus.RECEIVED: gettext_lazy("Received"),
    ComplaintStatus.HANDLING: gettext_lazy("Being handled"),
    ComplaintStatus.ANSWERED: gettext_lazy("Answered"),
}


def register_complaint_labels() -> None:
    """How the audit trail names complaint actions and statuses (called by apps.ready)."""
    register_labels(
        actions={
            "complaint_received": gettext_lazy("complaint received"),
            "complaint_taken": gettext_lazy("complaint taken up"),
            "complaint_answered": gettext_lazy("complaint answered"),
            "complaint_reassigned": gettext_lazy("complaint passed to another bureau"),
            "complaint_email_confirmed": gettext_lazy("complainant's e-mail address confirmed"),
        },
        statuses=STATUS_LABELS,
        model=Complaint,
    )


# Small helpers ------------------------------------------------------------------------------


def normalize_phone(phone: str) -> str:
    """Spaces and full-width digits as people type them; landlines keep their hyphen."""
    text = "".join(phone.split()).translate(str.maketrans("０１２３４５６７８９－", "0123456789-"))
    return text


def phone_is_valid(phone: str) -> bool:
    return bool(MOBILE_RE.match(phone) or LANDLINE_RE.match(phone))


def phone_tail(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())[-4:]


def mask_phone(phone: str) -> str:
    """13812345678 → 138****5678; a landline keeps its area code and last 4 digits."""
    digits = phone.replace("-", "")
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_email(email: str) -> str:
    """zhang.san@example.com → z***@example.com."""
    if not email:
        return ""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}"


def _new_reference(today: dt.date) -> str:
    suffix = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_SUFFIX_LENGTH))
    return f"{REFERENCE_PREFIX}{today:%Y%m%d}{suffix}"


def answer_due_on(today: dt.date) -> dt.date | None:
    """COMPLAINT_ANSWER_WORKING_DAYS working days after today; None when the calendar of the
    year is missing (the bureau page says so rather than guessing a date)."""
    try:
        return workdays.add_working_days(today, settings.COMPLAINT_ANSWER_WORKING_DAYS)
    except workdays.CalendarMissing:
        return None


def responsible_bureau(*, enterprise: Enterprise | None, city: Bureau | None) -> Bureau:
    """R-F5 routing applied to complaints: the enterprise's district, or the city for a
    city-administered enterprise, or the city chosen by the complainant."""
    if enterprise is not None:
        if enterprise.city_administered:
            return enterprise.district.parent
        return enterprise.district
    if city is None:
        raise ServiceError(_("City: choose the city where the institution is."))
    return city


def bureau_staff(bureau: Bureau):
    """Users who work for `bureau` itself (reviewers of a district or of a city)."""
    return [
        membership.user
        for membership in Membership.objects.filter(
            bureau=bureau, role__in=[Role.DISTRICT, Role.CITY], user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")
    ]


def track_lookup(*, reference: str, phone_last4: str) -> Complaint | None:
    """The complaint whose reference and phone end match; None for any mismatch (one answer,
    so the form says nothing about which half was wrong)."""
    reference = "".join(reference.split()).upper()
    complaint = (
        Complaint.objects.filter(reference=reference).select_related("bureau").first()
        if REFERENCE_RE.match(reference)
        else None
    )
    expected = phone_tail(complaint.contact_phone) if complaint else "0000"
    matches = hmac.compare_digest(expected.encode(), phone_last4.strip().encode())
    return complaint if complaint is not None and matches else None


# E-mail and notifications -------------------------------------------------------------------


def _send_after_commit(subject: str, body: str, to: str) -> None:
    def send() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
        except Exception:  # the complaint is stored; a mail fault must not undo it
            logger.warning("complaint e-mail to the complainant failed", exc_info=True)

    transaction.on_commit(send)


def _mail_complainant(complaint: Complaint, *, subject: str, template: str) -> None:
    """An e-mail to the complainant, once the transaction commits, if they gave an address and
    confirmed it; `subject` may name the complaint's reference as %(reference)s."""
    to = complaint.contact_email
    if not to or complaint.contact_email_confirmed_at is None:
        return
    subject = subject % {"reference": complaint.reference}
    context = {
        "complaint": complaint,
        "track_url": settings.PORTAL_BASE_URL + reverse("complaint_track"),
        "bureau_name": complaint.bureau.name,
    }
    # The answer is free text a bureau wrote: an ID number in it goes out masked (PIPL).
    body = mask_id_numbers(render_to_string(template, context))
    _send_after_commit(subject, body, to)


# The complainant's e-mail address is confirmed before anything about the complaint is mailed
# to it: the form takes any address, and a receipt naming whatever institution was typed would
# let anyone send the bureau's mail, with their text, to anyone. The link's own e-mail carries
# only the portal's words, and an address gets at most COMPLAINT_EMAIL_CONFIRMATIONS of them.
EMAIL_CONFIRM_SALT = "supervision.complaint-email"
EMAIL_CONFIRM_SCOPE = "complaint_email"


def _email_digest(email: str) -> str:
    return salted_hmac(EMAIL_CONFIRM_SALT, email.strip().lower()).hexdigest()[:20]


def email_confirmation_token(complaint: Complaint) -> str:
    """Signed and dated; names the complaint and a keyed hash of the address, no personal data."""
    payload = {"c": complaint.pk, "e": _email_digest(complaint.contact_email)}
    return signing.dumps(payload, salt=EMAIL_CONFIRM_SALT)


def complaint_for_email_token(token: str) -> Complaint | None:
    """The complaint a confirmation link names while the link is genuine, younger than
    COMPLAINT_EMAIL_CONFIRM_DAYS and the complaint still has the address it was sent to."""
    max_age = dt.timedelta(days=settings.COMPLAINT_EMAIL_CONFIRM_DAYS)
    try:
        payload = signing.loads(token, salt=EMAIL_CONFIRM_SALT, max_age=max_age)
    except signing.BadSignature:  # forged, damaged or expired (SignatureExpired)
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("c"), int):
        return None
    complaint = Complaint.objects.filter(pk=payload["c"]).select_related("bureau").first()
    if complaint is None or not complaint.contact_email:
        return None
    expected = _email_digest(complaint.contact_email)
    if not hmac.compare_digest(expected, str(payload.get("e", ""))):
        return None
    return complaint


def complaint_email_confirmation_request(*, complaint: Complaint) -> bool:
    """Mail the link that confirms the complainant's address, after the commit. False, and
    nothing sent, when there is no address to confirm or it had its confirmations for now."""
    to = complaint.contact_email
    if not to or complaint.contact_email_confirmed_at is not None:
        return False
    rate = ratelimit.Rate.parse(settings.COMPLAINT_EMAIL_CONFIRMATIONS)
    if not ratelimit.subject_count(EMAIL_CONFIRM_SCOPE, to.strip().lower(), rate).allowed:
        logger.info("no confirmation link sent to %s: over its limit", mask_email(to))
        return False
    token = email_confirmation_token(complaint)
    context = {
        "link": settings.PORTAL_BASE_URL + reverse("complaint_confirm_email", args=[token]),
        "portal_url": settings.PORTAL_BASE_URL,
        "filed_on": timezone.localtime(complaint.created_at).date(),
        "days": settings.COMPLAINT_EMAIL_CONFIRM_DAYS,
    }
    body = render_to_string("emails/complaint_confirm_email.txt", context)
    _send_after_commit(_("Confirm your e-mail address for a complaint"), body, to)
    return True


def complaint_email_confirm(*, complaint: Complaint) -> Complaint:
    """The owner of the address confirmed it by the link: from now on the complaint's mail goes
    there, starting with the acknowledgement. Confirming again changes and sends nothing."""
    with transaction.atomic():
        complaint = locked(complaint, related=("bureau",))
        if complaint.contact_email_confirmed_at is not None:
            return complaint
        complaint.contact_email_confirmed_at = timezone.now()
        complaint.save(update_fields=["contact_email_confirmed_at"])
        audit_record(
            obj=complaint,
            actor=None,
            action="complaint_email_confirmed",
            note=mask_email(complaint.contact_email),
        )
        _mail_complainant(
            complaint,
            subject=_("Your complaint %(reference)s is received"),
            template="emails/complaint_received.txt",
        )
    return complaint


def _notify_bureau(complaint: Complaint, *, title: str, actor=None) -> None:
    """Tell the staff of the complaint's bureau, but not `actor`: a city officer who takes a
    complaint to the city is not told of his own step."""
    url = reverse("complaint_detail", kwargs={"pk": complaint.pk})
    notify_all(
        [user for user in bureau_staff(complaint.bureau) if actor is None or user.pk != actor.pk],
        kind="complaint",
        title=title,
        body=f"{complaint.enterprise_name} · {complaint.subject}",
        # What the public typed stays in the portal, not in a mail under the bureau's name.
        email_body="",
        url=url,
    )


# Services -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplaintFile:
    upload: object  # an UploadedFile, already checked by filings.uploads.check_upload
    content_type: str
    extension: str
    size: int
    sha256: str


def complaint_submit(
    *,
    data: dict,
    enterprise: Enterprise | None,
    city: Bureau | None,
    files: list[ComplaintFile],
    today: dt.date | None = None,
) -> Complaint:
    """R-M5: store a complaint from the public, routed to the responsible bureau."""
    today = today or timezone.localdate()
    bureau = responsible_bureau(enterprise=enterprise, city=city)
    city = bureau if bureau.level == BureauLevel.CITY else bureau.parent
    with transaction.atomic():
        complaint = None
        for _attempt in range(REFERENCE_ATTEMPTS):
            try:
                with transaction.atomic():
                    complaint = Complaint.objects.create(
                        reference=_new_reference(today),
                        city=city,
                        bureau=bureau,
                        enterprise=enterprise,
                        enterprise_name=enterprise.name if enterprise else data["enterprise_name"],
                        category=data["category"],
                        subject=data["subject"],
                        body=data["body"],
                        contact_name=data["contact_name"],
                        contact_phone=data["contact_phone"],
                        contact_email=data.get("contact_email", ""),
                        answer_due_on=answer_due_on(today),
                    )
                break
            except IntegrityError:
                # Another complaint holds this reference: draw another one.
                continue
        if complaint is None:
            raise ServiceError(_("No free reference number could be drawn; please submit again."))
        for checked in files:
            attachment = ComplaintAttachment(
                complaint=complaint,
                original_name=checked.upload.name[:200],
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
            )
            attachment.file.save(
                f"complaint{complaint.pk}.{checked.extension}", checked.upload, save=False
            )
            attachment.save()
        audit_record(
            obj=complaint,
            actor=None,
            action="complaint_received",
            to_status=ComplaintStatus.RECEIVED,
            note=_("Filed by the public; routed to %(bureau)s.") % {"bureau": bureau.name},
        )
        _notify_bureau(
            complaint,
            title=_("New complaint %(reference)s") % {"reference": complaint.reference},
        )
    return complaint


def _locked_complaint(
    complaint: Complaint, *, expected_version: int | None, statuses: list, refusal: str
) -> Complaint:
    """The complaint locked, at the expected version, in one of `statuses`; the refusal may name
    the status it is in as %(s)s."""
    complaint = locked(complaint, expected_version=expected_version, related=("bureau",))
    require_status(complaint, statuses, refusal=refusal % {"s": STATUS_LABELS[complaint.status]})
    return complaint


def complaint_take(
    *, complaint: Complaint, actor, expected_version: int | None = None
) -> Complaint:
    """received → handling: the actor takes the complaint up."""
    with transaction.atomic():
        complaint = _locked_complaint(
            complaint,
            expected_version=expected_version,
            statuses=[ComplaintStatus.RECEIVED],
            # R-M5
            refusal=_("Only a complaint just received can be taken up; this one is “%(s)s”."),
        )
        complaint.handler = actor
        transition(
            complaint,
            actor=actor,
            to=ComplaintStatus.HANDLING,
            action="complaint_taken",
            fields=["handler"],
        )
    return complaint


def complaint_answer(
    *,
    complaint: Complaint,
    actor,
    answer: str,
    substantiated: bool,
    finding: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """handling → answered: the answer the complainant reads, whether the complaint was
    substantiated (it counts in the enterprise's annual evaluation, R-M3), internal notes."""
    if not answer.strip():
        # R-M5
        raise ServiceError(_("Answer: write the answer the complainant will read."))
    with transaction.atomic():
        complaint = _locked_complaint(
            complaint,
            expected_version=expected_version,
            statuses=[ComplaintStatus.HANDLING],
            # R-M5
            refusal=_("Only a complaint being handled can be answered; this one is “%(s)s”."),
        )
        complaint.answer = answer.strip()
        complaint.finding = finding.strip()
        complaint.substantiated = substantiated
        complaint.handler = actor
        complaint.answered_at = timezone.now()
        transition(
            complaint,
            actor=actor,
            to=ComplaintStatus.ANSWERED,
            action="complaint_answered",
            note=_("substantiated") if substantiated else _("not substantiated"),
            fields=["answer", "finding", "substantiated", "handler", "answered_at"],
        )
        _mail_complainant(
            complaint,
            subject=_("Your complaint %(reference)s is answered"),
            template="emails/complaint_answered.txt",
        )
    return complaint


def complaint_reassign(
    *,
    complaint: Complaint,
    actor,
    bureau: Bureau,
    note: str = "",
    expected_version: int | None = None,
) -> Complaint:
    """The city passes an open complaint to another bureau of the city (or takes it itself);
    the new bureau starts from 'received'."""
    with transaction.atomic():
        complaint = _locked_complaint(
            complaint,
            expected_version=expected_version,
            statuses=[ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING],
            # R-M5
            refusal=_("An answered complaint cannot be passed on."),
        )
        if bureau.pk != complaint.city_id and bureau.parent_id != complaint.city_id:
            raise ServiceError(_("Bureau: choose the city bureau or one of its districts."))
        if bureau.pk == complaint.bureau_id:
            raise ServiceError(_("Bureau: the complaint is already with this bureau."))
        before = complaint.bureau.name
        complaint.bureau = bureau
        complaint.handler = None
        transition(
            complaint,
            actor=actor,
            to=ComplaintStatus.RECEIVED,
            action="complaint_reassigned",
            note=f"{before} → {bureau.name}" + (f"\n{note.strip()}" if note.strip() else ""),
            fields=["bureau", "handler"],
        )
        _notify_bureau(
            complaint,
            title=_("Complaint %(reference)s passed to your bureau")
            % {"reference": complaint.reference},
            actor=actor,
        )
    return complaint
