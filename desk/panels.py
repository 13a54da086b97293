"""What each app puts on a user's desk, composed here (the desk is the one layer that may import
every app). Each contribution takes the user, the membership and today, and returns context for
templates/desk/dashboard.html."""

from django.db.models import Count

from assessments.todo import assessment_todo_for_user
from certificates.desk import certificate_todo_for_user
from filings.clock import with_clocks
from filings.enterprises.selectors import enterprise_list_for_user
from filings.filings.selectors import (
    LISTING_ROLES,
    filing_list_for_user,
    filing_todo_for_user,
)
from filings.models import EnterpriseStatus, FilingStatus
from portal.core.access import BUREAU_ROLES
from portal.core.calendar_status import next_year_calendar_warning
from portal.core.windows import window_status
from supervision.annual import desk as annual
from supervision.complaints import desk as complaints
from supervision.draws import desk as draws
from supervision.inspections import desk as inspections
from supervision.notifications import desk as notifications
from supervision.sanctions import desk as sanctions
from supervision.stats import builders as stats_scopes
from supervision.stats import desk as stats
from supervision.stats.areas import sub_area_rows


def _status_counts(filings) -> list[tuple[str, str, int]]:
    counts = dict(filings.order_by().values_list("status").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in FilingStatus.choices]


def filings_desk(*, user, membership, today) -> dict:
    if membership.role not in LISTING_ROLES:
        # A supervisor works on inspections, not filings: no tiles that would open a 404.
        return {}
    filings = filing_list_for_user(user=user)
    context = {
        "todo": with_clocks(filing_todo_for_user(user=user)[:50], today),
        "status_counts": _status_counts(filings),
    }
    if membership.is_enterprise:
        context["enterprise"] = membership.enterprise
        context["current_filing"] = filings.filter(status=FilingStatus.APPROVED).first()
        context["filing_window"] = window_status(membership.enterprise.district, today)
    # The district activates new enterprises; its city sees them waiting too.
    if membership.role in BUREAU_ROLES:
        context["pending_enterprises"] = list(
            enterprise_list_for_user(user=user).filter(status=EnterpriseStatus.PENDING)[:50]
        )
    return context


def province_desk(*, user, membership, today) -> dict:
    """A provincial centre's desk: its cities, each with this year's figures and the link to its
    statistics (the drill-down province → city → district)."""
    if not membership.is_province:
        return {}
    scope = stats_scopes.stats_scope_for(user)
    return {"province_cities": sub_area_rows(scope=scope, year=today.year, today=today)}


def calendar_desk(*, user, membership, today) -> dict:
    if not membership.is_city_admin:
        return {}
    return {"calendar_warning": next_year_calendar_warning(today)}


def assessments_desk(*, user, membership, today) -> dict:
    return {"assessment_todo": assessment_todo_for_user(user=user)}


def certificates_desk(*, user, membership, today) -> dict:
    return {"certificate_todo": certificate_todo_for_user(user=user)}


CONTRIBUTIONS = [
    filings_desk,
    province_desk,
    calendar_desk,
    assessments_desk,
    certificates_desk,
    # Each supervision area's part has its partial, templates/supervision/_desk_<area>.html.
    draws.desk,
    inspections.desk,
    complaints.desk,
    annual.desk,
    sanctions.desk,
    notifications.desk,
    stats.desk,
]
