"""Agreement pages (seed 004 §一(二)): the lists, an agreement, the evaluating enterprise's
draft, the client's confirmation, the bureaus' approval, and the client's page of its staff's
results (access gate → form → service → redirect or render)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assessments.agreements import services
from assessments.agreements.forms import AgreementDocumentForm, AgreementForm, ReturnForm
from assessments.agreements.permissions import access_agreement
from assessments.agreements.selectors import (
    agreement_list_for_user,
    entrusted_entries_for_client,
)
from assessments.models import AgreementStatus, EntrustedAgreement
from filings.levels import level_range_display
from portal.core.access import READING_ROLES, require_role
from portal.core.audit import audit_events_for, labelled_events
from portal.core.downloads import attachment_download
from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal
from portal.core.listing import any_contains, list_filter
from portal.core.models import Role
from portal.core.record_views import (
    confirmed_action,
    post_action,
    report_form_errors,
    versioned_edit_page,
)

PAGE_SIZE = 25
DECIDING_ROLES = frozenset({Role.CITY, Role.PROVINCE})


def _version(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _own_agreement(request: HttpRequest, pk: int) -> EntrustedAgreement:
    """An agreement the user's enterprise evaluates under; else 404."""
    membership = require_role(request.user, {Role.ENTERPRISE})
    agreement = access_agreement(user=request.user, agreement_id=pk, roles={Role.ENTERPRISE})
    if agreement.evaluator_id != membership.enterprise_id:
        raise Http404
    return agreement


def _editable_agreement(request: HttpRequest, pk: int) -> EntrustedAgreement:
    agreement = _own_agreement(request, pk)
    if not agreement.is_editable:
        raise Http404
    return agreement


def _client_agreement(request: HttpRequest, pk: int) -> EntrustedAgreement:
    """An agreement the user's enterprise is the client of; else 404."""
    membership = require_role(request.user, {Role.ENTERPRISE})
    agreement = access_agreement(user=request.user, agreement_id=pk, roles={Role.ENTERPRISE})
    if agreement.client_id != membership.enterprise_id:
        raise Http404
    return agreement


def _deciding_bureau(request: HttpRequest, pk: int):
    """(agreement, bureau) for a city or provincial reviewer whose bureau the agreement waits
    for; else 404."""
    membership = require_role(request.user, DECIDING_ROLES)
    agreement = access_agreement(user=request.user, agreement_id=pk, roles=DECIDING_ROLES)
    if membership.bureau_id not in agreement.pending_bureau_ids():
        raise Http404
    return agreement, membership.bureau


@login_required
def agreement_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, READING_ROLES)
    agreements, status, query = list_filter(
        request,
        agreement_list_for_user(user=request.user),
        statuses=AgreementStatus.values,
        search=any_contains("evaluator__name", "client__name"),
    )
    page = Paginator(agreements.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    rows = [(agreement, agreement.status_text(today)) for agreement in page.object_list]
    return render(
        request,
        "assessments/agreement_list.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "q": query,
            "statuses": AgreementStatus.choices,
        },
    )


@login_required
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = access_agreement(user=request.user, agreement_id=pk)
    membership = require_role(request.user)
    today = timezone.localdate()
    own = membership.enterprise_id
    is_evaluator = membership.role == Role.ENTERPRISE and agreement.evaluator_id == own
    is_client = membership.role == Role.ENTERPRISE and agreement.client_id == own
    waiting_here = (
        membership.role in DECIDING_ROLES
        and agreement.status == AgreementStatus.AWAITING_BUREAUS
        and membership.bureau_id in agreement.pending_bureau_ids()
    )
    schemes = agreement.schemes.select_related("scope_line__occupation", "scope_line__work_type")
    context = {
        "agreement": agreement,
        "status_text": agreement.status_text(today),
        "expired": agreement.expired(today),
        "schemes": schemes,
        "levels_text": level_range_display(agreement.levels),
        "documents": agreement.documents.all(),
        "events": labelled_events(audit_events_for(agreement), dict(AgreementStatus.choices)),
        "is_evaluator": is_evaluator,
        "is_client": is_client,
        "can_edit": is_evaluator and agreement.is_editable,
        "can_withdraw": is_evaluator and agreement.status not in (AgreementStatus.WITHDRAWN,),
        "can_confirm": is_client and agreement.status == AgreementStatus.AWAITING_CLIENT,
        "can_approve": waiting_here,
        "return_form": ReturnForm(initial={"version": agreement.version}),
        "approvals": _approvals(agreement),
    }
    if context["can_edit"]:
        context["document_form"] = AgreementDocumentForm()
    return render(request, "assessments/agreement_detail.html", context)


def _approvals(agreement: EntrustedAgreement) -> list[tuple[str, object]]:
    """(bureau, approved on) for each bureau the agreement is filed with."""
    rows = []
    if agreement.evaluator_bureau_id:
        rows.append((agreement.evaluator_bureau, agreement.evaluator_bureau_approved_on))
    if agreement.client_bureau_id and agreement.client_bureau_id != agreement.evaluator_bureau_id:
        rows.append((agreement.client_bureau, agreement.client_bureau_approved_on))
    return rows


def _terms(form: AgreementForm) -> dict:
    return {field: form.cleaned_data[field] for field in [*services.AGREEMENT_FIELDS, "schemes"]}


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    enterprise = require_role(request.user, {Role.ENTERPRISE}).enterprise
    form = AgreementForm(request.POST or None, evaluator=enterprise)
    if request.method == "POST" and form.is_valid():
        data = _terms(form)
        try:
            agreement = services.agreement_create(
                evaluator=enterprise, actor=request.user, data=data, schemes=data["schemes"]
            )
        except ServiceError as error:
            report_refusal(request, error, form=form)
        else:
            messages.success(
                request, _("The draft agreement is saved. Now upload the signed agreement.")
            )
            return redirect("agreement_detail", pk=agreement.pk)
    return render(
        request,
        "assessments/agreement_form.html",
        {"form": form, "enterprise": enterprise},
    )


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _editable_agreement(request, pk)
    return versioned_edit_page(
        request,
        agreement,
        name="agreement",
        form_class=AgreementForm,
        form_kwargs={"evaluator": agreement.evaluator},
        data=_terms,
        save=lambda data, version: services.agreement_update(
            agreement=agreement,
            actor=request.user,
            data=data,
            schemes=data["schemes"],
            expected_version=version,
        ),
        current=lambda: _own_agreement(request, pk),
        fields=services.AGREEMENT_FIELDS,
        display=lambda obj, field: str(getattr(obj, field)),
        template="assessments/agreement_form.html",
        detail="agreement_detail",
        context={"enterprise": agreement.evaluator},
    )


@login_required
def agreement_document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _editable_agreement(request, pk)
    form = AgreementDocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.agreement_document_add(
                agreement=agreement, actor=request.user, upload=upload, checked=form.checked
            )
        except ServiceError as error:
            report_refusal(request, error)
        else:
            messages.success(request, _("“%(name)s” is uploaded.") % {"name": upload.name})
            return redirect("agreement_detail", pk=agreement.pk)
    return render(
        request, "assessments/agreement_document_form.html", {"form": form, "agreement": agreement}
    )


@login_required
def agreement_document_download(request: HttpRequest, pk: int, document_id: int) -> FileResponse:
    agreement = access_agreement(user=request.user, agreement_id=pk)
    document = get_object_or_404(agreement.documents, pk=document_id)
    return attachment_download(document)


@login_required
@require_POST
def agreement_submit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _own_agreement(request, pk)
    return post_action(
        request,
        lambda: services.agreement_submit(
            agreement=agreement, actor=request.user, expected_version=_version(request)
        ),
        done=_("The agreement is sent to the client enterprise for confirmation."),
        detail="agreement_detail",
        pk=pk,
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _own_agreement(request, pk)
    return confirmed_action(
        request,
        lambda: services.agreement_withdraw(
            agreement=agreement, actor=request.user, expected_version=_version(request)
        ),
        done=_("The agreement is withdrawn."),
        detail="agreement_detail",
        pk=pk,
        question=_("Withdraw this entrusted evaluation agreement?"),
        what=f"{agreement.evaluator.name} → {agreement.client.name}",
        button=_("Withdraw the agreement"),
        consequence=_(
            "Rosters can no longer name the client's staff under it. This cannot be undone: a "
            "new agreement has to be filed and approved again."
        ),
        version=agreement.version,
    )


@login_required
@require_POST
def agreement_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = _client_agreement(request, pk)
    return post_action(
        request,
        lambda: services.agreement_confirm(
            agreement=agreement, actor=request.user, expected_version=_version(request)
        ),
        done=_("The agreement is confirmed and sent to the bureaus for approval."),
        detail="agreement_detail",
        pk=pk,
    )


@login_required
@require_POST
def agreement_approve(request: HttpRequest, pk: int) -> HttpResponse:
    agreement, bureau = _deciding_bureau(request, pk)
    return post_action(
        request,
        lambda: services.agreement_approve(
            agreement=agreement,
            actor=request.user,
            bureau=bureau,
            expected_version=_version(request),
        ),
        done=_("Your bureau's approval is recorded."),
        detail="agreement_detail",
        pk=pk,
    )


@login_required
@require_POST
def agreement_return(request: HttpRequest, pk: int) -> HttpResponse:
    """The client before confirming, or a bureau the agreement waits for, returns it."""
    membership = require_role(request.user, {Role.ENTERPRISE, *DECIDING_ROLES})
    if membership.role == Role.ENTERPRISE:
        agreement, bureau = _client_agreement(request, pk), None
    else:
        agreement, bureau = _deciding_bureau(request, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("agreement_detail", pk=pk)
    return post_action(
        request,
        lambda: services.agreement_return(
            agreement=agreement,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            bureau=bureau,
            expected_version=form.cleaned_data["version"],
        ),
        done=_("The agreement is returned to the evaluating enterprise."),
        detail="agreement_detail",
        pk=pk,
    )


@login_required
def entrusted_results(request: HttpRequest) -> HttpResponse:
    """The client enterprise's staff evaluated under its agreements, with their results and
    certificate numbers (read-only)."""
    enterprise = require_role(request.user, {Role.ENTERPRISE}).enterprise
    entries = entrusted_entries_for_client(enterprise_id=enterprise.pk)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/entrusted_results.html",
        {"page": page, "enterprise": enterprise},
    )
