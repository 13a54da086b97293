"""R-K2: the city sets the certificate number prefix of each filed enterprise."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from certificates.models import NumberingPrefix
from certificates.numbering import numbers as numbering
from certificates.numbering import services
from certificates.numbering.forms import PrefixForm
from filings.enterprises.selectors import enterprise_list_for_user
from filings.models import Enterprise, Filing, FilingStatus
from portal.core.access import require_role
from portal.core.audit import audit_events_for
from portal.core.errors import ServiceError, StaleEdit
from portal.core.feedback import keep_input_after_stale_edit, report_refusal
from portal.core.listing import any_contains, list_filter
from portal.core.models import Role

PAGE_SIZE = 50


def _filed_enterprises(request: HttpRequest):
    """The city's enterprises with an approved filing: those that may issue certificates."""
    require_role(request.user, {Role.CITY})
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
    enterprises, _status, query = list_filter(
        request, enterprises, search=any_contains("name", "credit_code")
    )
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
        form = PrefixForm(initial=initial, kind=enterprise.kind)
    else:
        form = PrefixForm(request.POST, kind=enterprise.kind)
        if form.is_valid():
            try:
                saved = services.prefix_set(
                    enterprise=enterprise,
                    actor=request.user,
                    expected_version=form.cleaned_data["version"] or 0,
                    **form.prefix_values(),
                )
            except ServiceError as error:
                report_refusal(request, error)
                if isinstance(error, StaleEdit):
                    prefix = NumberingPrefix.objects.get(enterprise=enterprise)
                    keep_input_after_stale_edit(form, prefix)
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
