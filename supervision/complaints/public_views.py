"""The public side of the complaint channel (R-M5), no login: file a complaint, see the
confirmation, confirm the e-mail address by the link mailed to it, follow the complaint with
the reference number and the phone's last 4 digits.

Both forms are rate limited per client (portal.core.ratelimit). The reference and the phone
digits travel only in POST bodies and the session, never in a URL an access log keeps.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal
from portal.core.ratelimit import Rate, hit
from supervision.complaints.forms import ComplaintForm, TrackForm
from supervision.complaints.services import (
    STATUS_LABELS,
    complaint_email_confirm,
    complaint_email_confirmation_request,
    complaint_for_email_token,
    complaint_submit,
    mask_email,
    track_lookup,
)

SUBMIT_SCOPE = "complaint"
TRACK_SCOPE = "complaint_track"
SESSION_KEY = "complaint_received"
FORM_TEMPLATE = "supervision/public_complaint_form.html"
RECEIVED_TEMPLATE = "supervision/public_complaint_received.html"
TRACK_TEMPLATE = "supervision/public_complaint_track.html"
CONFIRM_EMAIL_TEMPLATE = "supervision/public_complaint_confirm_email.html"


def _retry_after(request: HttpRequest, scope: str, rate: str) -> int:
    verdict = hit(request, scope, Rate.parse(rate))
    return 0 if verdict.allowed else max(1, verdict.retry_after)


def _too_many(request: HttpRequest, template: str, context: dict, retry_after: int):
    context["notice"] = _(
        # R-M5
        "Too many submissions from your network. Your input is kept below; please try again "
        "in %(seconds)s seconds."
    ) % {"seconds": retry_after}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def complaint_create(request: HttpRequest) -> HttpResponse:
    """R-M5: anyone may complain about an institution; the complaint goes to its bureau."""
    today = timezone.localdate()
    if request.method != "POST":
        return render(request, FORM_TEMPLATE, {"form": ComplaintForm(today=today)})
    form = ComplaintForm(request.POST, request.FILES, today=today)
    context = {"form": form}
    if not form.is_valid():
        return render(request, FORM_TEMPLATE, context)
    # Only submissions that would be stored count: a mistyped phone must not use up one of
    # the complainant's few submissions.
    retry_after = _retry_after(request, SUBMIT_SCOPE, settings.COMPLAINT_RATE_LIMIT)
    if retry_after:
        return _too_many(request, FORM_TEMPLATE, context, retry_after)
    data = form.cleaned_data
    try:
        complaint = complaint_submit(
            data=form.complaint_data(),
            enterprise=data["enterprise"],
            city=data.get("city"),
            files=form.checked_files,
            today=today,
        )
    except ServiceError as error:
        report_refusal(request, error, form=form)
        return render(request, FORM_TEMPLATE, context)
    link_sent = complaint_email_confirmation_request(complaint=complaint)
    request.session[SESSION_KEY] = {
        "reference": complaint.reference,
        "bureau": complaint.bureau.name,
        "email": mask_email(complaint.contact_email),
        "email_link_sent": link_sent,
        "due": complaint.answer_due_on.isoformat() if complaint.answer_due_on else "",
    }
    return redirect("complaint_received")


@never_cache
@require_safe
def complaint_received(request: HttpRequest) -> HttpResponse:
    """The confirmation with the reference number (kept in the session, not in the URL)."""
    received = request.session.get(SESSION_KEY)
    if not received:
        return redirect("complaint_create")
    response = render(request, RECEIVED_TEMPLATE, {"received": received})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def complaint_track(request: HttpRequest) -> HttpResponse:
    """R-M5: status, bureau, due date and the answer; never the bureau's internal notes."""
    if request.method != "POST":
        return render(request, TRACK_TEMPLATE, {"form": TrackForm()})
    form = TrackForm(request.POST)
    context: dict = {"form": form}
    # Every attempt counts: the limit is what keeps the phone digits from being guessed.
    retry_after = _retry_after(request, TRACK_SCOPE, settings.COMPLAINT_TRACK_RATE_LIMIT)
    if retry_after:
        context["notice"] = _(
            # R-M5
            "Too many queries from your network. Please try again in %(seconds)s seconds."
        ) % {"seconds": retry_after}
        response = render(request, TRACK_TEMPLATE, context, status=429)
        response["Retry-After"] = str(retry_after)
        return response
    if form.is_valid():
        complaint = track_lookup(
            reference=form.cleaned_data["reference"],
            phone_last4=form.cleaned_data["phone_last4"],
        )
        if complaint is None:
            context["notice"] = _(
                "No complaint matches this reference number and these phone digits. Check "
                "both against the confirmation you received."
            )
        else:
            context["complaint"] = complaint
            context["status_label"] = STATUS_LABELS[complaint.status]
    response = render(request, TRACK_TEMPLATE, context)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def complaint_confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link mailed to the complainant's address. Opening it confirms nothing (mail scanners
    open links); the owner of the address presses the button."""
    complaint = complaint_for_email_token(token)
    if complaint is None:
        return render(request, CONFIRM_EMAIL_TEMPLATE, {"invalid": True}, status=404)
    if request.method == "POST":
        complaint = complaint_email_confirm(complaint=complaint)
    context = {
        "email": mask_email(complaint.contact_email),
        "confirmed": complaint.contact_email_confirmed_at is not None,
    }
    return render(request, CONFIRM_EMAIL_TEMPLATE, context)
