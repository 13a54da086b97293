"""The bureaus' side of the complaint channel (R-M5): list, detail, take up, answer, pass on.

The responsible bureau handles a complaint; its city sees it too and may pass it to another
bureau of the city. Everyone else gets the 404 of a missing complaint.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core.access import require_role
from portal.core.audit import audit_events_for
from portal.core.downloads import attachment_download
from portal.core.feedback import service_went_through
from portal.core.listing import list_filter
from portal.core.models import Role
from supervision.complaints.forms import AnswerForm, ReassignForm, TakeForm
from supervision.complaints.permissions import access_complaint, access_handled_complaint
from supervision.complaints.selectors import complaint_list_for_user, is_handling_bureau
from supervision.complaints.services import (
    STATUS_LABELS,
    complaint_answer,
    complaint_reassign,
    complaint_take,
    mask_email,
    mask_phone,
)
from supervision.models import Complaint, ComplaintStatus

PAGE_SIZE = 50
OPEN = (ComplaintStatus.RECEIVED, ComplaintStatus.HANDLING)


def _is_overdue(complaint: Complaint, today) -> bool:
    return bool(
        complaint.status in OPEN and complaint.answer_due_on and complaint.answer_due_on < today
    )


@login_required
def complaint_list(request: HttpRequest) -> HttpResponse:
    complaints = complaint_list_for_user(user=request.user)
    complaints, status, query = list_filter(
        request,
        complaints,
        statuses=ComplaintStatus.values,
        search=lambda text: Q(enterprise_name__icontains=text) | Q(reference__iexact=text),
    )
    page = Paginator(complaints.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    for complaint in page.object_list:
        complaint.status_label = STATUS_LABELS[complaint.status]
        complaint.masked_phone = mask_phone(complaint.contact_phone)
        complaint.overdue = _is_overdue(complaint, today)
    return render(
        request,
        "supervision/complaint_list.html",
        {
            "page": page,
            "status": status,
            "q": query,
            "statuses": list(STATUS_LABELS.items()),
            "is_city": require_role(request.user).is_city,
            "is_province": require_role(request.user).is_province,
        },
    )


def _detail_context(request: HttpRequest, complaint: Complaint) -> dict:
    membership = require_role(request.user)
    handling = is_handling_bureau(request.user, complaint)
    complaint.status_label = STATUS_LABELS[complaint.status]
    complaint.overdue = _is_overdue(complaint, timezone.localdate())
    return {
        "complaint": complaint,
        "handling": handling,
        # Personal data in full only to the bureau that must call the complainant back.
        "phone": complaint.contact_phone if handling else mask_phone(complaint.contact_phone),
        "email": complaint.contact_email if handling else mask_email(complaint.contact_email),
        "attachments": complaint.attachments.all(),
        "events": audit_events_for(complaint),
        "can_take": handling and complaint.status == ComplaintStatus.RECEIVED,
        "can_answer": handling and complaint.status == ComplaintStatus.HANDLING,
        "can_reassign": membership.role == Role.CITY and complaint.status in OPEN,
        "take_form": TakeForm(initial={"version": complaint.version}),
    }


@login_required
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = access_complaint(user=request.user, complaint_id=pk)
    return render(request, "supervision/complaint_detail.html", _detail_context(request, complaint))


@login_required
def complaint_attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    complaint = access_complaint(user=request.user, complaint_id=pk)
    attachment = complaint.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    return attachment_download(attachment)


@login_required
@require_POST
def complaint_take_view(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = access_handled_complaint(user=request.user, complaint_id=pk)
    form = TakeForm(request.POST)
    version = form.cleaned_data["version"] if form.is_valid() else None
    if service_went_through(
        request,
        None,
        complaint_take,
        complaint=complaint,
        actor=request.user,
        expected_version=version,
    ):
        messages.success(
            request,
            _("You are handling complaint %(reference)s.") % {"reference": complaint.reference},
        )
    return redirect("complaint_detail", pk=pk)


@login_required
def complaint_answer_view(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = access_handled_complaint(user=request.user, complaint_id=pk)
    if complaint.status != ComplaintStatus.HANDLING and request.method != "POST":
        messages.error(request, _("Take the complaint up before answering it."))
        return redirect("complaint_detail", pk=pk)
    form = AnswerForm(request.POST or None, initial={"version": complaint.version})
    return _complaint_form_page(
        request,
        complaint,
        form,
        service=complaint_answer,
        fields=["answer", "substantiated", "finding"],
        success=lambda data: (
            _("Complaint %(reference)s is answered.") % {"reference": complaint.reference}
        ),
        template="supervision/complaint_answer.html",
    )


@login_required
def complaint_reassign_view(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = access_complaint(user=request.user, complaint_id=pk, roles={Role.CITY})
    form = ReassignForm(
        request.POST or None,
        initial={"version": complaint.version},
        city=complaint.city,
        exclude_id=complaint.bureau_id,
    )
    return _complaint_form_page(
        request,
        complaint,
        form,
        service=complaint_reassign,
        fields=["bureau", "note"],
        success=lambda data: (
            _("Complaint %(reference)s is passed to %(bureau)s.")
            % {"reference": complaint.reference, "bureau": data["bureau"].name}
        ),
        template="supervision/complaint_reassign.html",
    )


def _complaint_form_page(
    request: HttpRequest, complaint, form, *, service, fields, success, template: str
) -> HttpResponse:
    """A form on one complaint: `service` gets the form's `fields` and the version the form was
    rendered with; on success the message `success(data)` and back to the complaint."""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if service_went_through(
            request,
            form,
            service,
            current=complaint,
            complaint=complaint,
            actor=request.user,
            expected_version=data["version"],
            **{name: data[name] for name in fields},
        ):
            messages.success(request, success(data))
            return redirect("complaint_detail", pk=complaint.pk)
    complaint.status_label = STATUS_LABELS[complaint.status]
    return render(request, template, {"complaint": complaint, "form": form})
