"""The bureaus review a filing (R-F5 … R-F7): the district's opinion, the experts, the city's
decision; and the receipt of an approved filing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from filings.filings.permissions import access_filing
from filings.models import FilingStatus
from filings.review import services
from filings.review.documents import filing_receipt_filename, filing_receipt_pdf
from filings.review.forms import (
    ChecklistOpinionForm,
    ConfirmationForm,
    DecisionForm,
    ExpertOpinionForm,
    OpinionForm,
)
from filings.review.permissions import access_assignment, access_review
from portal.core.errors import ServiceError, StaleEdit
from portal.core.feedback import keep_input_after_stale_edit, report_refusal
from portal.core.models import Role
from portal.core.record_views import (
    post_decision,
    post_expert_assignment,
    report_form_errors,
)


@login_required
@require_POST
def filing_district_review(request: HttpRequest, pk: int) -> HttpResponse:
    """R-F5: the district adds its opinion and forwards to the city, or returns the filing."""
    filing = access_filing(user=request.user, filing_id=pk, roles={Role.DISTRICT})
    form = OpinionForm(request.POST)
    action = request.POST.get("action")
    if not form.is_valid():
        messages.error(request, _("The pre-review opinion is required."))
        return redirect("filing_detail", pk=pk)
    opinion = form.cleaned_data["opinion"]
    try:
        if action == "return":
            services.filing_return(filing=filing, actor=request.user, reason=opinion)
            messages.success(request, _("The filing is returned to the enterprise."))
        else:
            services.filing_district_forward(filing=filing, actor=request.user, opinion=opinion)
            messages.success(request, _("The filing is forwarded to the city."))
    except ServiceError as error:
        report_refusal(request, error)
    return redirect("filing_detail", pk=pk)


@login_required
@require_POST
def filing_assign_experts(request: HttpRequest, pk: int) -> HttpResponse:
    filing = access_review(user=request.user, filing_id=pk)
    return post_expert_assignment(
        request,
        assign=lambda experts: services.filing_assign_experts(
            filing=filing, actor=request.user, experts=experts
        ),
        detail="filing_detail",
        pk=pk,
    )


@login_required
def filing_expert_opinion(request: HttpRequest, pk: int) -> HttpResponse:
    """R-F6: the assigned expert's own opinion; under the checklist kept on the assignment
    (seed 002 §六(二)) a score and a note per item, the total computed."""
    assignment = access_assignment(user=request.user, filing_id=pk)
    filing = assignment.filing
    checklist = assignment.checklist if assignment.checklist_items else None
    form_class = ChecklistOpinionForm if checklist else ExpertOpinionForm
    initial = {**form_class.initial_of(assignment), "version": filing.version}
    form = form_class(request.POST or None, initial=initial, checklist=checklist)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.filing_expert_opinion(
                assignment=assignment,
                actor=request.user,
                expected_version=form.cleaned_data.get("version"),
                **form.opinion_data(),
            )
        except StaleEdit as problem:
            filing.refresh_from_db()
            keep_input_after_stale_edit(form, filing)
            form.add_error(None, problem.message)
            stale = True
        except ServiceError as error:
            report_refusal(request, error, form=form)
        else:
            messages.success(request, _("Your opinion is recorded."))
            return redirect("filing_detail", pk=pk)
    context = {
        "form": form,
        "filing": filing,
        "assignment": assignment,
        "checklist": checklist,
        "stale": stale,
    }
    return render(request, "filings/expert_opinion_form.html", context)


@login_required
@require_POST
def filing_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """R-F7: approved, returned for correction, or rejected by the reviewing bureau; where a
    second officer confirms (seed 002 §六(三)) an approval or rejection becomes a proposal."""
    filing = access_review(user=request.user, filing_id=pk)

    def act(decision: str, note: str) -> str:
        if decision == "approve":
            approved = services.filing_approve(filing=filing, actor=request.user, note=note)
            if approved.status == FilingStatus.CONFIRMATION:
                return _("The approval is proposed; another officer confirms it.")
            return _("The filing is approved as No. %(number)s.") % {"number": approved.number}
        if decision == "return":
            services.filing_return(filing=filing, actor=request.user, reason=note)
            return _("The filing is returned for correction.")
        rejected = services.filing_reject(filing=filing, actor=request.user, reason=note)
        if rejected.status == FilingStatus.CONFIRMATION:
            return _("The rejection is proposed; another officer confirms it.")
        return _("The filing is rejected.")

    return post_decision(
        request, DecisionForm(request.POST), act=act, detail="filing_detail", pk=pk
    )


@login_required
@require_POST
def filing_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Seed 002 §四, §六(三): another officer of the reviewing bureau than the proposer confirms
    the proposed decision, or sends it back to review with a reason."""
    filing = access_review(user=request.user, filing_id=pk)
    form = ConfirmationForm(request.POST)
    if not form.is_valid():
        report_form_errors(request, form)
        return redirect("filing_detail", pk=pk)
    try:
        if form.cleaned_data["action"] == "send_back":
            services.filing_send_back(
                filing=filing, actor=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The proposed decision is sent back to review."))
        else:
            done = services.filing_confirm(filing=filing, actor=request.user)
            if done.status == FilingStatus.APPROVED:
                messages.success(
                    request,
                    _("The filing is approved as No. %(number)s.") % {"number": done.number},
                )
            else:
                messages.success(request, _("The filing is rejected."))
    except ServiceError as error:
        report_refusal(request, error)
    return redirect("filing_detail", pk=pk)


@login_required
@require_GET
def filing_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """R-F7: the receipt of an approved filing, to those who may see the filing."""
    filing = access_filing(user=request.user, filing_id=pk)
    if filing.status != FilingStatus.APPROVED:
        raise Http404
    filename = filing_receipt_filename(filing)
    if not filing.receipt_pdf:
        # The task has not run yet: render now and store it, so later downloads match.
        services.filing_store_receipt(filing_id=filing.pk, pdf=filing_receipt_pdf(filing))
        filing.refresh_from_db(fields=["receipt_pdf"])
    response = FileResponse(filing.receipt_pdf.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response
