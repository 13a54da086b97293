"""Enterprise pages: registration, the bureaus' list, an enterprise, its activation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from filings.enterprises import services
from filings.enterprises.administration import administering_bureau
from filings.enterprises.forms import EnterpriseRegistrationForm
from filings.enterprises.permissions import access_enterprise
from filings.enterprises.selectors import enterprise_list_for_user
from filings.filings.selectors import filing_list_for_user
from filings.models import EnterpriseStatus, FilingStatus
from portal.core.access import AREA_ROLES, require_role
from portal.core.audit import audit_events_for
from portal.core.listing import any_contains, list_filter
from portal.core.models import Role
from portal.core.record_views import post_action
from portal.core.roles import membership_of

PAGE_SIZE = 50


def enterprise_register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = EnterpriseRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enterprise = services.enterprise_register(
            data=form.enterprise_data(),
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            email=form.cleaned_data["email"],
        )
        messages.success(
            request,
            _(
                "%(name)s is registered. %(district)s will check and activate the account; you "
                "can log in now and prepare the filing meanwhile."
            )
            % {"name": enterprise.name, "district": enterprise.district.name},
        )
        return redirect("login")
    return render(request, "filings/enterprise_register.html", {"form": form})


@login_required
def enterprise_list(request: HttpRequest) -> HttpResponse:
    require_role(request.user, AREA_ROLES)
    enterprises = enterprise_list_for_user(user=request.user).annotate(
        filing_count=Count("filings", filter=~Q(filings__status=FilingStatus.DRAFT))
    )
    enterprises, status, query = list_filter(
        request,
        enterprises,
        statuses=EnterpriseStatus.values,
        search=any_contains("name", "credit_code"),
    )
    page = Paginator(enterprises.order_by("status", "name"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "filings/enterprise_list.html",
        {"page": page, "status": status, "q": query, "statuses": EnterpriseStatus.choices},
    )


@login_required
def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access_enterprise(user=request.user, enterprise_id=pk)
    filings = filing_list_for_user(user=request.user).filter(enterprise=enterprise)
    return render(
        request,
        "filings/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "filings": filings,
            "sanctions": enterprise.sanctions.all(),
            "events": audit_events_for(enterprise),
            "can_activate": require_role(request.user).role == Role.DISTRICT
            and enterprise.status == EnterpriseStatus.PENDING,
            "can_administer": administering_bureau(membership_of(request.user), enterprise)
            is not None,
        },
    )


@login_required
@require_POST
def enterprise_activate(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = access_enterprise(user=request.user, enterprise_id=pk, roles={Role.DISTRICT})
    return post_action(
        request,
        lambda: services.enterprise_activate(enterprise=enterprise, actor=request.user),
        done=_("%(name)s is activated.") % {"name": enterprise.name},
        detail="enterprise_detail",
        pk=pk,
    )
