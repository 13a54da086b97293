"""Certificate pages for enterprises and bureaus: the list, a certificate, its PDF, its full ID
number. Scoping comes from certificates.records.selectors / permissions: an enterprise sees its
own certificates, a district its district's (read only), a city its city's.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from assessments.rosters.reader.format import LEVEL_LABELS
from certificates.models import Certificate, CertificateStatus
from certificates.numbering import numbers as numbering
from certificates.printing.documents import verify_url
from certificates.printing.services import holder_pdf
from certificates.records.labels import STATUS_LABELS, decorate
from certificates.records.list_rows import CERTIFICATE_LIST_FIELDS, certificate_rows
from certificates.records.permissions import REVOKING_ROLES, access_certificate
from certificates.records.selectors import certificate_list_for_user, issue_years
from portal.core import extensions
from portal.core.access import READING_ROLES, require_role
from portal.core.audit import audit_events_for
from portal.core.listing import list_filter
from portal.core.models import Role
from portal.core.pagination import BoundedPaginator
from portal.core.privacy import may_see_full_ids, reveal_page

PAGE_SIZE = 50
# The certificate list, like the filing list, shows 20 rows: building and rendering a row costs
# about 0.2 ms, and a reviewer's page stays as quick with a million certificates as with the
# demo's ten (bench/scale.py).
CERTIFICATE_PAGE_SIZE = 20


def no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def certificate_list(request: HttpRequest) -> HttpResponse:
    membership = require_role(request.user, READING_ROLES)
    certificates = certificate_list_for_user(user=request.user)
    years = issue_years(certificates)
    certificates, status, query = list_filter(
        request,
        certificates,
        statuses=CertificateStatus.values,
        search=lambda text: (
            Q(number__icontains=numbering.normalise(text)) | Q(holder_name__icontains=text)
        ),
    )
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
    rows = certificate_rows(page.object_list, with_enterprise=not membership.is_enterprise)
    return render(
        request,
        "certificates/certificate_list.html",
        {
            "page": page,
            "rows": rows,
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
    role = require_role(request.user).role
    valid = certificate.status == CertificateStatus.VALID
    chain = _chain(certificate)
    return render(
        request,
        "certificates/certificate_detail.html",
        {
            "certificate": decorate([certificate])[0],
            "chain": decorate(chain) if len(chain) > 1 else [],
            "replaced_by": chain[chain.index(certificate) + 1]
            if certificate in chain[:-1]
            else None,
            "verify_url": verify_url(certificate),
            "events": audit_events_for(certificate),
            "can_revoke": valid and role in REVOKING_ROLES,
            "can_replace": valid and role == Role.ENTERPRISE,
            "warnings": extensions.warnings_for(extensions.CERTIFICATE_WARNINGS, certificate),
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
    response = HttpResponse(holder_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificate.number}.pdf"'
    return no_store(response)


@login_required
def certificate_id_number(request: HttpRequest, pk: int) -> HttpResponse:
    certificate = access_certificate(user=request.user, certificate_id=pk)
    if not may_see_full_ids(request.user):
        raise Http404
    return reveal_page(
        request,
        person=certificate,
        name=certificate.holder_name,
        context=certificate.number,
        back_url=reverse("certificate_detail", args=[certificate.pk]),
    )
