"""Certificate pages for enterprises and bureaus (R-K1 … R-K5): access gate → form → service.

Scoping comes from certificates.selectors / permissions: an enterprise sees its own
certificates, a district its district's (read only), a city its city's. The city revokes and
sets numbering prefixes; only the enterprise issues, reissues, corrects and reports.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from assessments.models import BatchStatus, ExamineeResult, ResultBatch
from assessments.plans.permissions import access_plan
from assessments.rosters.reader.format import LEVEL_LABELS
from certificates import numbering, services
from certificates.forms import ID_TYPES, IssueForm, PrefixForm, ReplaceForm, RevokeForm
from certificates.list_rows import CERTIFICATE_LIST_FIELDS, certificate_rows
from certificates.models import (
    Certificate,
    CertificateStatus,
    IssueBatch,
    IssueStatus,
    NumberingPrefix,
)
from certificates.permissions import access_certificate, access_issue_batch, access_report
from certificates.printing import verify_url
from certificates.selectors import (
    certificate_list_for_user,
    issue_batch_list_for_user,
    issue_years,
    report_list_for_user,
)
from certificates.services import KIND_LABELS, STATUS_LABELS
from filings.models import Enterprise, Filing, FilingStatus
from filings.selectors import enterprise_list_for_user
from portal.core.audit import audit_events_for
from portal.core.counters import peek
from portal.core.errors import ServiceError, StaleEdit
from portal.core.feedback import report_refusal
from portal.core.masking import mask_id
from portal.core.models import Role
from portal.core.pagination import BoundedPaginator
from portal.core.roles import membership_of
from portal.core.xlsx import xlsx_response
from supervision.flags import certificate_cancellation_warning

PAGE_SIZE = 50
# The certificate list, like the filing list, shows 20 rows: building and rendering a row costs
# about 0.2 ms, and a reviewer's page stays as quick with a million certificates as with the
# demo's ten (bench/scale.py, issue 6).
CERTIFICATE_PAGE_SIZE = 20
BATCH_PAGE_SIZE = 100
BUREAU_ROLES = ("enterprise", "district", "city")
REVOKING_ROLES = ("enterprise", "city")


def _role(request: HttpRequest, roles=BUREAU_ROLES) -> str:
    membership = membership_of(request.user)
    if membership is None or membership.role not in roles:
        raise Http404
    return membership.role


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


def _decorate(certificates):
    """What the pages show of a certificate: the ID masked, the level and status in words."""
    for certificate in certificates:
        certificate.masked_id = mask_id(certificate.id_number)
        certificate.level_label = LEVEL_LABELS.get(certificate.level, certificate.level)
        certificate.status_label = STATUS_LABELS.get(certificate.status, certificate.status)
        certificate.kind_label = KIND_LABELS.get(certificate.replacement_kind, "")
    return certificates


# Issuance (R-K1, R-K2) ---------------------------------------------------------------------


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
    role = _role(request)
    batches = issue_batch_list_for_user(user=request.user).order_by("-created_at", "-pk")
    page = BoundedPaginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    # Counted for the page's batches only: annotating the list counted every certificate of the
    # city before the page's 50 batches were taken (issue 6, scale).
    counts = dict(
        Certificate.objects.filter(batch__in=[batch.pk for batch in page.object_list])
        .order_by()
        .values("batch")
        .annotate(n=Count("pk"))
        .values_list("batch", "n")
    )
    for batch in page.object_list:
        batch.certificate_count = counts.get(batch.pk, 0)
    return render(request, "certificates/batch_list.html", {"page": page, "role": role})


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
    batch = access_issue_batch(user=request.user, batch_id=pk)
    certificates = batch.certificates.select_related("replaces").order_by("position", "pk")
    page = Paginator(certificates, BATCH_PAGE_SIZE).get_page(request.GET.get("page"))
    _decorate(page.object_list)
    return render(
        request,
        "certificates/batch_detail.html",
        {
            "batch": batch,
            "page": page,
            "progress": _progress(batch),
            "role": membership_of(request.user).role,
            "events": audit_events_for(batch.result_batch).filter(action__startswith="certificate"),
        },
    )


@login_required
@require_safe
def issue_batch_progress(request: HttpRequest, pk: int) -> JsonResponse:
    batch = access_issue_batch(user=request.user, batch_id=pk)
    return _no_store(JsonResponse(_progress(batch)))


@login_required
@require_safe
def issue_batch_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    batch = access_issue_batch(user=request.user, batch_id=pk)
    if batch.status != IssueStatus.READY or not batch.pdf:
        messages.info(
            request,
            _("The batch PDF is still being printed; this page shows when it is ready."),
        )
        return redirect("issue_batch_detail", pk=batch.pk)
    response = FileResponse(
        batch.pdf.open("rb"),
        as_attachment=True,
        filename=f"certificates-{batch.issued_on:%Y%m%d}-{batch.pk}.pdf",
        content_type="application/pdf",
    )
    return _no_store(response)


# Certificates ------------------------------------------------------------------------------


@login_required
@require_safe
def certificate_list(request: HttpRequest) -> HttpResponse:
    role = _role(request)
    certificates = certificate_list_for_user(user=request.user)
    years = issue_years(certificates)
    query = request.GET.get("q", "").strip()
    if query:
        number = numbering.normalise(query)
        certificates = certificates.filter(
            Q(number__icontains=number) | Q(holder_name__icontains=query)
        )
    status = request.GET.get("status", "")
    if status in CertificateStatus.values:
        certificates = certificates.filter(status=status)
    else:
        status = ""
    level = request.GET.get("level", "")
    if level.isdigit() and int(level) in LEVEL_LABELS:
        certificates = certificates.filter(level=int(level))
    else:
        level = ""
    year = request.GET.get("year", "")
    if year.isdigit() and len(year) == 4:
        certificates = certificates.filter(issued_on__year=int(year))
    else:
        year = ""
    certificates = (
        certificates.select_related(None)
        .select_related("enterprise")
        .only(*CERTIFICATE_LIST_FIELDS)
        .order_by("-issued_on", "number")
    )
    page = BoundedPaginator(certificates, CERTIFICATE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = certificate_rows(page.object_list, with_enterprise=role != "enterprise")
    return render(
        request,
        "certificates/certificate_list.html",
        {
            "page": page,
            "rows": rows,
            "role": role,
            "q": query,
            "status": status,
            "level": level,
            "year": year,
            "statuses": list(STATUS_LABELS.items()),
            "levels": list(LEVEL_LABELS.items()),
            "years": years,
        },
    )


def _chain(certificate: Certificate) -> list[Certificate]:
    """Every certificate of the same person's replacement history, oldest first."""
    earlier = []
    current = certificate.replaces
    while current is not None:
        earlier.append(current)
        current = current.replaces
    later = []
    current = Certificate.objects.filter(replaces=certificate).first()
    while current is not None:
        later.append(current)
        current = Certificate.objects.filter(replaces=current).first()
    return [*reversed(earlier), certificate, *later]


@login_required
@require_safe
def certificate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access_certificate(user=request.user, certificate_id=pk)
    role = membership_of(request.user).role
    valid = certificate.status == CertificateStatus.VALID
    chain = _chain(certificate)
    return render(
        request,
        "certificates/certificate_detail.html",
        {
            "certificate": _decorate([certificate])[0],
            "chain": _decorate(chain) if len(chain) > 1 else [],
            "replaced_by": chain[chain.index(certificate) + 1]
            if certificate in chain[:-1]
            else None,
            "verify_url": verify_url(certificate),
            "events": audit_events_for(certificate),
            "can_revoke": valid and role in REVOKING_ROLES,
            "can_replace": valid and role == "enterprise",
            "role": role,
            "cancellation_warning": certificate_cancellation_warning(certificate=certificate),
        },
    )


@login_required
@require_safe
def certificate_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access_certificate(user=request.user, certificate_id=pk)
    if certificate.status != CertificateStatus.VALID:
        messages.error(
            request,
            _("Certificate %(number)s is “%(status)s”; only a valid certificate is printed.")
            % {"number": certificate.number, "status": STATUS_LABELS[certificate.status]},
        )
        return redirect("certificate_detail", pk=certificate.pk)
    response = HttpResponse(services.holder_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return _no_store(response)


def _not_valid(request: HttpRequest, certificate: Certificate) -> HttpResponse:
    messages.error(
        request,
        _("Certificate %(number)s is “%(status)s”; only a valid certificate can change.")
        % {"number": certificate.number, "status": STATUS_LABELS[certificate.status]},
    )
    return redirect("certificate_detail", pk=certificate.pk)


@login_required
def certificate_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access_certificate(user=request.user, certificate_id=pk, roles=REVOKING_ROLES)
    if request.method != "POST":
        if certificate.status != CertificateStatus.VALID:
            return _not_valid(request, certificate)
        form = RevokeForm(initial={"version": certificate.version})
    else:
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                services.certificate_revoke(
                    certificate=certificate,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleEdit as error:
                messages.error(request, error.message)
                certificate.refresh_from_db()
                form.keep_input_at(certificate.version)
            except ServiceError as error:
                report_refusal(request, error)
            else:
                messages.success(
                    request,
                    _("Certificate %(number)s is revoked; its verification now says so.")
                    % {"number": certificate.number},
                )
                return redirect("certificate_detail", pk=certificate.pk)
    return render(
        request,
        "certificates/revoke.html",
        {"certificate": _decorate([certificate])[0], "form": form},
    )


@login_required
def certificate_replace(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access_certificate(user=request.user, certificate_id=pk, roles=("enterprise",))
    if request.method != "POST":
        if certificate.status != CertificateStatus.VALID:
            return _not_valid(request, certificate)
        form = ReplaceForm(initial=ReplaceForm.initial_for(certificate))
    else:
        form = ReplaceForm(request.POST)
        if form.is_valid():
            try:
                new = services.certificate_replace(
                    certificate=certificate,
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    corrections=form.corrections(),
                    expected_version=form.cleaned_data["version"] or 0,
                )
            except StaleEdit as error:
                messages.error(request, error.message)
                certificate.refresh_from_db()
                form.keep_input_at(certificate.version)
            except ServiceError as error:
                report_refusal(request, error)
            else:
                messages.success(
                    request,
                    _("Certificate %(old)s is replaced by the new certificate %(new)s.")
                    % {"old": certificate.number, "new": new.number},
                )
                return redirect("certificate_detail", pk=new.pk)
    return render(
        request,
        "certificates/replace.html",
        {"certificate": _decorate([certificate])[0], "form": form, "id_types": ID_TYPES},
    )


# Numbering prefixes (R-K2) -----------------------------------------------------------------


def _filed_enterprises(request: HttpRequest):
    """The city's enterprises with an approved filing: those that may issue certificates."""
    _role(request, ("city",))
    approved = Filing.objects.filter(enterprise=OuterRef("pk"), status=FilingStatus.APPROVED)
    return (
        enterprise_list_for_user(user=request.user)
        .filter(Exists(approved))
        .select_related("numbering_prefix")
    )


def _example_number(prefix: str) -> str:
    return numbering.format_number(prefix, timezone.localdate().year, 4, 1)


@login_required
@require_safe
def prefix_list(request: HttpRequest) -> HttpResponse:
    enterprises = _filed_enterprises(request).order_by("district__code", "name")
    query = request.GET.get("q", "").strip()
    if query:
        enterprises = enterprises.filter(Q(name__icontains=query) | Q(credit_code__icontains=query))
    missing = request.GET.get("missing") == "1"
    if missing:
        enterprises = enterprises.filter(numbering_prefix__isnull=True)
    page = Paginator(enterprises, PAGE_SIZE).get_page(request.GET.get("page"))
    for enterprise in page.object_list:
        prefix = getattr(enterprise, "numbering_prefix", None)
        enterprise.prefix = prefix
        enterprise.example = _example_number(prefix.prefix) if prefix else ""
    return render(
        request,
        "certificates/prefix_list.html",
        {"page": page, "q": query, "missing": missing},
    )


def _default_prefix(enterprise: Enterprise) -> dict:
    province = enterprise.district.parent.parent if enterprise.district.parent else None
    return {
        "category": enterprise.kind,
        "institution_code": "0000",
        "province_code": province.code if province and len(province.code) == 2 else "",
        "site_serial": "",
        "version": 0,
    }


@login_required
def prefix_edit(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    enterprise = _filed_enterprises(request).filter(pk=enterprise_id).first()
    if enterprise is None:
        raise Http404
    prefix = getattr(enterprise, "numbering_prefix", None)
    if request.method != "POST":
        if prefix is None:
            initial = _default_prefix(enterprise)
        else:
            initial = {
                "category": prefix.category,
                "institution_code": prefix.institution_code,
                "province_code": prefix.province_code,
                "site_serial": prefix.site_serial,
                "version": prefix.version,
            }
        form = PrefixForm(initial=initial)
    else:
        form = PrefixForm(request.POST)
        if form.is_valid():
            try:
                saved = services.prefix_set(
                    enterprise=enterprise,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                    **form.prefix_values(),
                )
            except StaleEdit as error:
                messages.error(request, error.message)
                prefix = NumberingPrefix.objects.get(enterprise=enterprise)
                form.keep_input_at(prefix.version)
            except ServiceError as error:
                report_refusal(request, error)
            else:
                messages.success(
                    request,
                    _("The certificate numbers of %(name)s now start with %(prefix)s.")
                    % {"name": enterprise.name, "prefix": saved.prefix},
                )
                return redirect("numbering_prefix_list")
    return render(
        request,
        "certificates/prefix_form.html",
        {
            "enterprise": enterprise,
            "prefix": prefix,
            "example": _example_number(prefix.prefix) if prefix else "",
            "example_year": timezone.localdate().year,
            "form": form,
            "issued": prefix is not None and enterprise.certificates.exists(),
            "events": audit_events_for(enterprise).filter(action="certificate_prefix_set"),
        },
    )


# Reporting (R-K4) --------------------------------------------------------------------------


def _pending_reports(enterprise_id: int) -> int:
    return Certificate.objects.filter(
        enterprise_id=enterprise_id, reported_in__isnull=True, status=CertificateStatus.VALID
    ).count()


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    role = _role(request)
    if request.method == "POST":
        if role != "enterprise":
            raise Http404
        enterprise = membership_of(request.user).enterprise
        try:
            report = services.report_create(enterprise=enterprise, actor=request.user)
        except ServiceError as error:
            report_refusal(request, error)
        else:
            messages.success(
                request,
                _(
                    "%(count)s certificates are exported. Download the file, upload it to the "
                    "provincial system, then record the upload here."
                )
                % {"count": report.count},
            )
        return redirect("certificate_report_list")
    reports = (
        report_list_for_user(user=request.user)
        .select_related("created_by__membership", "reported_by__membership")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    pending = None
    if role == "enterprise":
        pending = _pending_reports(membership_of(request.user).enterprise_id)
    return render(
        request,
        "certificates/report_list.html",
        {"page": page, "role": role, "pending": pending},
    )


@login_required
@require_safe
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    """R-K4 with the ID numbers masked; the file for the provincial system, in full, is
    certificates.privacy_views.report_download_full (deliberate, audited)."""
    report = access_report(user=request.user, report_id=pk)
    return xlsx_response(
        services.report_file_masked(report=report), filename=report_filename(report)
    )


def report_filename(report) -> str:
    created = timezone.localtime(report.created_at)
    return f"证书数据-{report.enterprise.name}-{created:%Y%m%d-%H%M}.xlsx"


@login_required
@require_POST
def report_uploaded(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_report(user=request.user, report_id=pk, roles=("enterprise",))
    try:
        report = services.report_mark_uploaded(report=report, actor=request.user)
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(
            request,
            _("The upload of %(count)s certificates on %(day)s is recorded.")
            % {"count": report.count, "day": date_format(report.reported_on, "Y-m-d")},
        )
    return redirect("certificate_report_list")
