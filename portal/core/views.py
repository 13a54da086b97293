from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from assessments.todo import assessment_todo_for_user
from certificates.desk import certificate_todo_for_user
from filings.clock import with_clocks
from filings.enterprises.selectors import enterprise_list_for_user
from filings.filings.selectors import filing_list_for_user, filing_todo_for_user
from filings.models import EnterpriseStatus, FilingStatus
from portal.core.calendar_status import next_year_calendar_warning
from portal.core.roles import is_city_admin, membership_of
from supervision.desk import supervision_desk


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


def _status_counts(filings) -> list[tuple[str, str, int]]:
    counts = dict(filings.order_by().values_list("status").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in FilingStatus.choices]


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Each role lands on its to-do list and counts."""
    membership = membership_of(request.user)
    today = timezone.localdate()
    context = {"today": today}
    if membership is None:
        return render(request, "core/dashboard.html", context)
    filings = filing_list_for_user(user=request.user)
    context["todo"] = with_clocks(filing_todo_for_user(user=request.user)[:50], today)
    context["status_counts"] = _status_counts(filings)
    if membership.role == "enterprise":
        context["enterprise"] = membership.enterprise
        context["current_filing"] = filings.filter(status=FilingStatus.APPROVED).first()
    if membership.role in ("district", "city"):
        context["pending_enterprises"] = list(
            enterprise_list_for_user(user=request.user).filter(status=EnterpriseStatus.PENDING)[:50]
        )
    if is_city_admin(request.user):
        context["calendar_warning"] = next_year_calendar_warning(today)
    context["assessment_todo"] = assessment_todo_for_user(user=request.user)
    context["certificate_todo"] = certificate_todo_for_user(user=request.user)
    context.update(supervision_desk(user=request.user, membership=membership, today=today))
    return render(request, "core/dashboard.html", context)
