"""Supervision figures for a district, a city or a province and one year (selectors: reads only).

Every figure is a handful of aggregate queries over the rows of the scope (district → its
enterprises; city → its city's; province → its cities'), never a query per row. Examinees and
pass rates count the roster entries of result batches the city **approved** in the year (R-R2):
a batch only submitted may still be returned, and would change the figures after they were
read.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from assessments.models import BatchStatus, ExamineeResult, ResultBatch, RosterEntry
from assessments.rosters.reader.format import LEVEL_LABELS
from certificates.models import Certificate
from filings.models import Enterprise, Filing, FilingStatus
from portal.core.access import AREA_ROLES, require_role
from portal.core.models import Bureau, Role
from portal.core.roles import area_q
from supervision.annual.due import dues_by_district, owes_report_since
from supervision.draws.algorithm import filed_enterprises_in
from supervision.models import (
    AnnualReport,
    AnnualReportStatus,
    Complaint,
    ComplaintStatus,
    Finding,
    FindingStatus,
    Inspection,
    InspectionStatus,
)

FIRST_YEAR = 2020
# Overdue lists show the oldest items; the count says how many there are in all.
OVERDUE_LIST_SIZE = 10
UNDER_REVIEW = [
    FilingStatus.DISTRICT_REVIEW,
    FilingStatus.CITY_REVIEW,
    FilingStatus.EXPERT_REVIEW,
    FilingStatus.CONFIRMATION,
]
BATCH_NOT_SUBMITTED = [BatchStatus.DRAFT, BatchStatus.PUBLICISED, BatchStatus.RETURNED]


@dataclass
class StatsScope:
    """Whose rows the figures count: a district's, a city's or a province's (`role` is the level
    of `bureau`; `city` is None for a province). `q(prefix)` filters by enterprise."""

    role: Role
    bureau: object
    city: object

    def q(self, prefix: str = "enterprise__") -> Q:
        return area_q(self.bureau, f"{prefix}district")

    @property
    def is_city(self) -> bool:
        return self.role == Role.CITY

    @property
    def is_province(self) -> bool:
        return self.role == Role.PROVINCE

    @property
    def wide(self):
        """The area a person's certificates are compared across (R-P5a): the city, or the
        province a provincial reviewer reads."""
        return self.city or self.bureau


def scope_of(bureau: Bureau) -> StatsScope:
    return StatsScope(role=Role(bureau.level), bureau=bureau, city=bureau.city)


def stats_scope_for(user, area=None) -> StatsScope:
    """The access gate of the statistics pages: district, city and provincial staff only, others
    404. `area` (a bureau id) drills down: a province into its cities and their districts, a
    city into its districts; any other area is a 404."""
    membership = require_role(user, AREA_ROLES)
    if membership.bureau is None:
        raise Http404
    bureau = membership.bureau
    if area not in (None, ""):
        try:
            area = int(area)
        except (TypeError, ValueError):
            raise Http404 from None
        own = Q(pk=bureau.pk) | Q(parent_id=bureau.pk) | Q(parent__parent_id=bureau.pk)
        bureau = Bureau.objects.filter(own, pk=area).select_related("parent__parent").first()
        if bureau is None:
            raise Http404
    return scope_of(bureau)


def year_choices(today: dt.date) -> list[int]:
    return list(range(today.year, FIRST_YEAR - 1, -1))


def parse_year(value, today: dt.date) -> int:
    """The year asked for, or this year when the value is missing or out of range."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return today.year
    return year if FIRST_YEAR <= year <= today.year else today.year


def safe_url(url_name: str, pk: int) -> str | None:
    """The page of an object, or None while the area that serves it has no such page."""
    try:
        return reverse(url_name, args=[pk])
    except NoReverseMatch:
        return None


def _rate(passed: int, decided: int) -> float | None:
    return round(100 * passed / decided, 1) if decided else None


# ---------------------------------------------------------------------------------------------
# Figures


def filings_by_status(*, scope: StatsScope, year: int) -> list[dict]:
    """Filings submitted in `year`, by their status today (drafts stay with their enterprise)."""
    counts = dict(
        Filing.objects.filter(scope.q(), submitted_at__year=year)
        .exclude(status=FilingStatus.DRAFT)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    return [
        {"status": value, "label": str(label), "count": counts.get(value, 0)}
        for value, label in FilingStatus.choices
        if value != FilingStatus.DRAFT
    ]


def _approved_entries(*, scope: StatsScope, year: int) -> QuerySet[RosterEntry]:
    return RosterEntry.objects.filter(
        scope.q("plan__enterprise__"),
        plan__result_batch__status=BatchStatus.APPROVED,
        plan__result_batch__approved_on__year=year,
    ).order_by()


_RESULT_COUNTS = {
    "examinees": Count("pk"),
    "passed": Count("pk", filter=Q(result=ExamineeResult.PASSED)),
    "failed": Count("pk", filter=Q(result=ExamineeResult.FAILED)),
}


def _with_rate(row: dict) -> dict:
    row["rate"] = _rate(row["passed"], row["passed"] + row["failed"])
    return row


def results_by_occupation(*, scope: StatsScope, year: int) -> list[dict]:
    rows = (
        _approved_entries(scope=scope, year=year)
        .values("occupation_code")
        .annotate(name=Max("occupation_name"), **_RESULT_COUNTS)
        .order_by("occupation_code")
    )
    return [_with_rate({**row, "label": f"{row['occupation_code']} {row['name']}"}) for row in rows]


def results_by_level(*, scope: StatsScope, year: int) -> list[dict]:
    rows = (
        _approved_entries(scope=scope, year=year)
        .values("level")
        .annotate(**_RESULT_COUNTS)
        .order_by("-level")
    )
    return [_with_rate({**row, "label": LEVEL_LABELS.get(row["level"], "")}) for row in rows]


def certificates_by_month(*, scope: StatsScope, year: int) -> list[dict]:
    """Certificates issued each month of `year` (reissues and corrections are issues too)."""
    counts = dict(
        Certificate.objects.filter(scope.q(), issued_on__year=year)
        .order_by()
        .annotate(month=ExtractMonth("issued_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
    )
    return [{"month": m, "label": f"{m}月", "count": counts.get(m, 0)} for m in range(1, 13)]


def _scoped_filed(*, scope: StatsScope, on: dt.date) -> QuerySet[Enterprise]:
    return filed_enterprises_in(scope.bureau, today=on)


def inspections(*, scope: StatsScope, year: int, today: dt.date) -> dict:
    """R-M1: inspections drawn in `year` by status, and the share of filed enterprises covered."""
    counts = dict(
        Inspection.objects.filter(scope.q(), draw__year=year)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    on = min(today, dt.date(year, 12, 31))
    filed = _scoped_filed(scope=scope, on=on)
    covered = filed.filter(inspections__draw__year=year).values("pk").distinct().count()
    total = filed.count()
    return {
        "by_status": [
            {"status": value, "label": str(label), "count": counts.get(value, 0)}
            for value, label in InspectionStatus.choices
        ],
        "filed": total,
        "covered": covered,
        "coverage": _rate(covered, total),
    }


@dataclass
class Overdue:
    key: str
    label: str
    rule: str
    count: int = 0
    items: list = field(default_factory=list)


def overdue_items(*, scope: StatsScope, today: dt.date) -> list[Overdue]:
    """What is late today: reviews, result filings, rectifications, complaints, annual reports."""
    found = []
    filings = Filing.objects.filter(scope.q(), status__in=UNDER_REVIEW, due_on__lt=today)
    found.append(
        _overdue(
            "filings",
            _("Filings past their review deadline"),
            "R-F6",
            filings.select_related("enterprise").order_by("due_on", "pk"),
            lambda f: (f.enterprise.name, f.due_on, ("filing_detail", f.pk)),
        )
    )
    batches = ResultBatch.objects.filter(
        scope.q("plan__enterprise__"), status__in=BATCH_NOT_SUBMITTED, filing_due_on__lt=today
    )
    found.append(
        _overdue(
            "batches",
            _("Results not filed by their deadline"),
            "R-R1",
            batches.select_related("plan__enterprise").order_by("filing_due_on", "pk"),
            lambda b: (
                f"{b.plan.enterprise.name} · {b.plan.title}",
                b.filing_due_on,
                ("result_batch", b.plan_id),
            ),
        )
    )
    findings = Finding.objects.filter(
        scope.q("inspection__enterprise__"), status=FindingStatus.OPEN, rectify_by__lt=today
    )
    found.append(
        _overdue(
            "findings",
            _("Findings not rectified by their deadline"),
            "R-M1",
            findings.select_related("inspection__enterprise").order_by("rectify_by", "pk"),
            lambda f: (
                f"{f.inspection.enterprise.name} · {f.description[:40]}",
                f.rectify_by,
                ("inspection_detail", f.inspection_id),
            ),
        )
    )
    complaints = Complaint.objects.filter(answer_due_on__lt=today).exclude(
        status=ComplaintStatus.ANSWERED
    )
    # A district answers the complaints routed to it; the city sees every complaint of the city,
    # the province every complaint of its cities.
    if scope.role == Role.DISTRICT:
        complaints = complaints.filter(bureau_id=scope.bureau.pk)
    elif scope.is_province:
        complaints = complaints.filter(city__parent_id=scope.bureau.pk)
    else:
        complaints = complaints.filter(city_id=scope.bureau.pk)
    found.append(
        _overdue(
            "complaints",
            _("Complaints not answered by their deadline"),
            "R-M5",
            complaints.order_by("answer_due_on", "pk"),
            lambda c: (
                f"{c.reference} · {c.enterprise_name}",
                c.answer_due_on,
                ("complaint_detail", c.pk),
            ),
        )
    )
    found.append(_annual_missing(scope=scope, today=today))
    return found


def _overdue(key, label, rule, queryset, describe) -> Overdue:
    item = Overdue(key=key, label=label, rule=rule, count=queryset.count())
    for obj in queryset[:OVERDUE_LIST_SIZE] if item.count else []:
        text, due, (url_name, pk) = describe(obj)
        item.items.append({"text": text, "due": due, "url": safe_url(url_name, pk)})
    return item


def _annual_missing(*, scope: StatsScope, today: dt.date) -> Overdue:
    """R-M4: filed enterprises without a submitted annual report of this year after its due day
    (the day of each enterprise's jurisdiction)."""
    label = _("Annual reports missing after the due day")
    submitted = AnnualReport.objects.filter(
        year=today.year, status=AnnualReportStatus.SUBMITTED
    ).values("enterprise_id")
    owing = Filing.objects.filter(approved_on__lt=owes_report_since(today.year))
    missing = (
        _scoped_filed(scope=scope, on=today)
        .filter(filings__in=owing)
        .exclude(pk__in=submitted)
        .distinct()
        .order_by("name", "pk")
    )
    dues = dues_by_district(missing.values_list("district_id", flat=True), today.year)
    passed = [district for district, due in dues.items() if today > due]
    if not passed:
        return Overdue(key="annual", label=label, rule="R-M4")
    return _overdue(
        "annual",
        label,
        "R-M4",
        missing.filter(district_id__in=passed),
        lambda e: (e.name, dues[e.district_id], ("enterprise_detail", e.pk)),
    )


def overdue_count(*, scope: StatsScope, today: dt.date) -> int:
    return sum(item.count for item in overdue_items(scope=scope, today=today))


def dashboard_figures(*, scope: StatsScope, year: int, today: dt.date) -> dict:
    """Everything the dashboard and its Excel export show, computed once."""
    return {
        "filings": filings_by_status(scope=scope, year=year),
        "by_occupation": results_by_occupation(scope=scope, year=year),
        "by_level": results_by_level(scope=scope, year=year),
        "certificates": certificates_by_month(scope=scope, year=year),
        "inspections": inspections(scope=scope, year=year, today=today),
        "overdue": overdue_items(scope=scope, today=today),
    }
