"""Issuing certificates (R-K1, R-K2) and following the batch PDF as it prints."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.models import BatchStatus, ExamineeResult, ResultBatch
from assessments.plans.permissions import access_plan
from assessments.rosters.reader.format import LEVEL_LABELS
from certificates.issuance import services
from certificates.issuance.forms import IssueForm
from certificates.issuance.permissions import access_issue_batch
from certificates.issuance.selectors import issue_batch_list_for_user
from certificates.models import Certificate, IssueBatch, IssueStatus, NumberingPrefix
from certificates.numbering import numbers as numbering
from certificates.records.labels import decorate
from certificates.records.views import no_store
from portal.core.access import READING_ROLES, require_role
from portal.core.audit import audit_events_for, audit_file_sent
from portal.core.counters import peek
from portal.core.errors import ServiceError
from portal.core.feedback import report_refusal
from portal.core.models import Role
from portal.core.pagination import BoundedPaginator

PAGE_SIZE = 50


BATCH_PAGE_SIZE = 100


def _number_preview(result_batch: ResultBatch, issued_on: dt.date) -> list[dict]:
    """Per level: how many certificates, and the first and last number they will get."""
    enterprise = result_batch.plan.enterprise
    prefix = NumberingPrefix.objects.filter(enterprise=enterprise).first()
    counts = (
        services.issuable_entries(result_batch)
        .order_by()
        .values("level")
        .annotate(count=Count("pk"))
        .order_by("level")
    )
    preview = []
    for row in counts:
        level, count = row["level"], row["count"]
        key = numbering.counter_key(enterprise.pk, issued_on.year, level)
        first = peek(key) + 1
        last = first + count - 1
        preview.append(
            {
                "level": level,
                "label": LEVEL_LABELS.get(level, level),
                "count": count,
                "first": numbering.format_number(prefix.prefix, issued_on.year, level, first)
                if prefix
                else None,
                "last": numbering.format_number(prefix.prefix, issued_on.year, level, last)
                if prefix
                else None,
                "overflow": last > numbering.MAX_SERIAL,
            }
        )
    return preview


@login_required
def certificate_issue(request: HttpRequest, pk: int) -> HttpResponse:
    plan = access_plan(user=request.user, plan_id=pk, roles={Role.ENTERPRISE})
    result_batch = ResultBatch.objects.filter(plan=plan, status=BatchStatus.APPROVED).first()
    if result_batch is None:
        raise Http404
    result_batch.plan = plan
    today = timezone.localdate()
    form = IssueForm(request.POST or None, initial={"issued_on": today})
    refused = False
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.issue_certificates(
                result_batch=result_batch,
                actor=request.user,
                issued_on=form.cleaned_data["issued_on"],
            )
        except ServiceError as error:
            report_refusal(request, error)
            refused = True
        else:
            messages.success(
                request,
                _("%(count)s certificates are issued; the batch PDF is being printed.")
                % {"count": batch.certificates.count()},
            )
            return redirect("issue_batch_detail", pk=batch.pk)
    issued_on = form.cleaned_data["issued_on"] if form.is_bound and form.is_valid() else today
    issue_batch = IssueBatch.objects.filter(result_batch=result_batch).first()
    context = {
        "plan": plan,
        "result_batch": result_batch,
        "issue_batch": issue_batch,
        "form": form,
        "issued_on": issued_on,
        "passed": plan.roster.filter(result=ExamineeResult.PASSED).count(),
        "preview": [] if issue_batch else _number_preview(result_batch, issued_on),
        "prefix": NumberingPrefix.objects.filter(enterprise=plan.enterprise).first(),
        "problems": services.issue_problems(result_batch, issued_on, today),
        "refused": refused,
    }
    return render(request, "certificates/issue.html", context)


@login_required
@require_safe
def issue_batch_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, READING_ROLES)
    batches = issue_batch_list_for_user(user=request.user).order_by("-created_at", "-pk")
    page = BoundedPaginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    # Counted for the page's batches only: annotating the list counted every certificate of the
    # city before the page's 50 batches were taken.
    counts = dict(
        Certificate.objects.filter(batch__in=[batch.pk for batch in page.object_list])
        .order_by()
        .values("batch")
        .annotate(n=Count("pk"))
        .values_list("batch", "n")
    )
    for batch in page.object_list:
        batch.certificate_count = counts.get(batch.pk, 0)
    return render(request, "certificates/batch_list.html", {"page": page})


def _progress(batch: IssueBatch) -> dict:
    ready = batch.status == IssueStatus.READY and bool(batch.pdf)
    job = batch.job
    if job is not None:
        done, total = job.done, job.total
    else:
        total = batch.certificates.filter(replaces__isnull=True).count()
        done = total if ready else 0
    if ready:
        done = total
    return {
        "status": batch.status,
        "done": done,
        "total": total,
        "percent": int(100 * done / total) if total else (100 if ready else 0),
        "ready": ready,
        "pdf_url": reverse("issue_batch_pdf", args=[batch.pk]) if ready else None,
    }


@login_required
@require_safe
def issue_batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access_issue_batch(user=request.user, issue_batch_id=pk)
    certificates = batch.certificates.select_related("replaces").order_by("position", "pk")
    page = Paginator(certificates, BATCH_PAGE_SIZE).get_page(request.GET.get("page"))
    decorate(page.object_list)
    return render(
        request,
        "certificates/batch_detail.html",
        {
            "batch": batch,
            "page": page,
            "progress": _progress(batch),
            "events": audit_events_for(batch.result_batch).filter(action__startswith="certificate"),
        },
    )


@login_required
@require_safe
def issue_batch_progress(request: HttpRequest, pk: int) -> JsonResponse:
    batch = access_issue_batch(user=request.user, issue_batch_id=pk)
    return no_store(JsonResponse(_progress(batch)))


@login_required
@require_safe
def issue_batch_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access_issue_batch(user=request.user, issue_batch_id=pk)
    if batch.status != IssueStatus.READY or not batch.pdf:
        messages.info(
            request,
            _("The batch PDF is still being printed; this page shows when it is ready."),
        )
        return redirect("issue_batch_detail", pk=batch.pk)
    filename = f"certificates-{batch.issued_on:%Y%m%d}-{batch.pk}.pdf"
    response = FileResponse(
        batch.pdf.open("rb"), as_attachment=True, filename=filename, content_type="application/pdf"
    )
    audit_file_sent(filename)
    return no_store(response)
