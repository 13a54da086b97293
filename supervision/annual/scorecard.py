"""R-M3: the yearly evaluation's population and scorecard.

An enterprise is evaluated for `year` when, at the end of that year, it had been filed for a year
or more (approved on or before 31 December of the year before) and its filing was still approved
and valid at some time in the year. The scorecard counts, from the portal's own records:

    line                          max   points
    assessments organised          30   30 if at least one acknowledged plan had a session in the
                                        year, else 0 (and R-M3 says: remove from the directory)
    results filed on time          15   15 × share of result filings due in the year submitted by
                                        their due date (15 when none was due)
    annual report on time          10   10 submitted by the due date, 5 late, 0 missing
    inspection findings            20   20 − 3 per minor, − 8 per serious, − 20 per fraud (≥ 0)
    rectifications overdue         10   10 − 5 per finding still open after its deadline (≥ 0)
    substantiated complaints       10   10 − 5 per complaint found substantiated (≥ 0)
    examiners revoked               5    5 − 1 per examiner revoked in the year (≥ 0)

Suggested outcome: remove when no assessment was organised or the filing no longer valid at the
end of the year; otherwise rectify below RECTIFY_BELOW, qualified below GOOD_FROM, else good.
"""

import datetime as dt

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    AssessmentSession,
    ExaminerStatus,
    PlanStatus,
    ResultBatch,
)
from filings.models import Enterprise, Filing, FilingStatus
from supervision.models import (
    AnnualReport,
    AnnualReportStatus,
    Complaint,
    EvaluationOutcome,
    Finding,
    FindingSeverity,
    FindingStatus,
)

RECTIFY_BELOW = 60
GOOD_FROM = 85
FINDING_PENALTY = {FindingSeverity.MINOR: 3, FindingSeverity.SERIOUS: 8, FindingSeverity.FRAUD: 20}

LINES = [
    ("assessments", gettext_lazy("Assessments organised"), 30),
    ("result_filing", gettext_lazy("Results filed on time"), 15),
    ("annual_report", gettext_lazy("Annual report on time"), 10),
    ("findings", gettext_lazy("Inspection findings"), 20),
    ("overdue_rectifications", gettext_lazy("Rectifications overdue"), 10),
    ("complaints", gettext_lazy("Substantiated complaints"), 10),
    ("revoked_examiners", gettext_lazy("Examiners revoked"), 5),
]
LINE_LABELS = {key: label for key, label, _maximum in LINES}


def _bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def evaluable_filings(*, city, year: int):
    start, end = _bounds(year)
    return Filing.objects.filter(
        enterprise__district__parent=city,
        status=FilingStatus.APPROVED,
        approved_on__lte=dt.date(year - 1, 12, 31),
        valid_until__gte=start,
    )


def evaluable_enterprises(*, city, year: int):
    """R-M3: the city's enterprises filed for a year or more at the end of `year`."""
    return (
        Enterprise.objects.filter(filings__in=evaluable_filings(city=city, year=year))
        .distinct()
        .select_related("district")
        .order_by("name", "pk")
    )


def _local_date(moment) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def scorecard_for(enterprise: Enterprise, year: int) -> dict:
    """Each line's value, points and a sentence saying why; the score; the suggested outcome."""
    start, end = _bounds(year)
    lines: dict[str, dict] = {}

    plans = set(
        AssessmentSession.objects.filter(
            plan__enterprise=enterprise,
            plan__status=PlanStatus.ACKNOWLEDGED,
            date__gte=start,
            date__lte=end,
        ).values_list("plan_id", flat=True)
    )
    approved_batches = ResultBatch.objects.filter(
        plan__enterprise=enterprise, approved_on__gte=start, approved_on__lte=end
    ).count()
    held = len(plans)
    lines["assessments"] = {
        "value": held,
        "points": 30 if held else 0,
        "explain": _(
            "%(plans)s acknowledged plans had sessions in %(year)s; %(batches)s result filings "
            "were approved in the year."
        )
        % {"plans": held, "batches": approved_batches, "year": year}
        if held
        # R-M3
        else _("No assessment organised in %(year)s: the enterprise is removed from the directory.")
        % {"year": year},
    }

    due = ResultBatch.objects.filter(
        plan__enterprise=enterprise, filing_due_on__gte=start, filing_due_on__lte=end
    )
    due_count = due.count()
    on_time = due.filter(submitted_on__isnull=False, submitted_on__lte=F("filing_due_on")).count()
    lines["result_filing"] = {
        "value": f"{on_time}/{due_count}",
        "points": round(15 * on_time / due_count) if due_count else 15,
        "explain": _(
            "%(on_time)s of %(due)s result filings due in the year were submitted on time."
        )
        % {"on_time": on_time, "due": due_count}
        if due_count
        else _("No result filing was due in the year."),
    }

    report = AnnualReport.objects.filter(enterprise=enterprise, year=year).first()
    submitted_on = (
        _local_date(report.submitted_at)
        if report and report.status == AnnualReportStatus.SUBMITTED
        else None
    )
    if submitted_on and submitted_on <= report.due_on:
        points = 10
        text = _("Submitted on %(day)s, by the due date %(due)s.") % {
            "day": submitted_on,
            "due": report.due_on,
        }
    elif submitted_on:
        points = 5
        text = _("Submitted late, on %(day)s; it was due on %(due)s.") % {
            "day": submitted_on,
            "due": report.due_on,
        }
    else:
        # R-M4
        points, text = 0, _("Not submitted.")
    lines["annual_report"] = {
        "value": submitted_on.isoformat() if submitted_on else "",
        "points": points,
        "explain": text,
    }

    findings = Finding.objects.filter(inspection__enterprise=enterprise).filter(
        Q(inspection__visited_on__gte=start, inspection__visited_on__lte=end)
        | Q(inspection__visited_on__isnull=True, created_at__year=year)
    )
    by_severity = {key: 0 for key in FINDING_PENALTY}
    for severity in findings.values_list("severity", flat=True):
        by_severity[severity] = by_severity.get(severity, 0) + 1
    penalty = sum(FINDING_PENALTY[k] * n for k, n in by_severity.items() if k in FINDING_PENALTY)
    lines["findings"] = {
        "value": by_severity,
        "points": max(0, 20 - penalty),
        "explain": _(
            "Findings of the year's inspections: %(minor)s minor, %(serious)s serious, "
            "%(fraud)s fraud."
        )
        % {
            "minor": by_severity[FindingSeverity.MINOR],
            "serious": by_severity[FindingSeverity.SERIOUS],
            "fraud": by_severity[FindingSeverity.FRAUD],
        },
    }

    overdue = Finding.objects.filter(
        inspection__enterprise=enterprise,
        status=FindingStatus.OPEN,
        rectify_by__lt=min(end, timezone.localdate()),
    ).count()
    lines["overdue_rectifications"] = _count_line(
        overdue,
        points=max(0, 10 - 5 * overdue),
        explain=_("%(n)s findings were still awaiting rectification after their deadline."),
    )

    complaints = Complaint.objects.filter(
        enterprise=enterprise, substantiated=True, answered_at__year=year
    ).count()
    lines["complaints"] = _count_line(
        complaints,
        points=max(0, 10 - 5 * complaints),
        explain=_("%(n)s complaints answered in the year were found substantiated."),
    )

    revoked = enterprise.examiners.filter(
        status=ExaminerStatus.REVOKED, revoked_on__gte=start, revoked_on__lte=end
    ).count()
    lines["revoked_examiners"] = _count_line(
        revoked,
        points=max(0, 5 - revoked),
        # R-C3
        explain=_("%(n)s examiners were revoked in the year."),
    )

    for key, _label, maximum in LINES:
        lines[key]["max"] = maximum
    score = sum(line["points"] for line in lines.values())
    eligible = Filing.objects.filter(
        enterprise=enterprise, status=FilingStatus.APPROVED, valid_until__gte=end
    ).exists()
    if not held or not eligible:
        suggested = EvaluationOutcome.REMOVE
    elif score < RECTIFY_BELOW:
        suggested = EvaluationOutcome.RECTIFY
    elif score < GOOD_FROM:
        suggested = EvaluationOutcome.QUALIFIED
    else:
        suggested = EvaluationOutcome.GOOD
    return {
        "year": year,
        "lines": lines,
        "score": score,
        "eligible": eligible,
        "no_assessment": not held,
        "suggested": str(suggested),
    }


def _count_line(count: int, *, points: int, explain: str) -> dict:
    """A line that counts events of the year; explain has an %(n)s for the count."""
    return {"value": count, "points": points, "explain": explain % {"n": count}}


def scorecard_rows(scorecard: dict) -> list[dict]:
    """The lines in their documented order, with their labels, for templates and exports."""
    return [
        {"key": key, "label": label, **scorecard["lines"][key]}
        for key, label, _maximum in LINES
        if key in scorecard["lines"]
    ]
