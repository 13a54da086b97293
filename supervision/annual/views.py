"""Annual duty pages: the enterprise's year-start report (R-M4), the bureaus' list of reports, the
city's yearly evaluation (R-M3) and its Excel export. Access gate → form → service → redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from portal.core.access import AREA_ROLES, READING_ROLES, require_role
from portal.core.audit import audit_events_for
from portal.core.errors import ServiceError, StaleEdit
from portal.core.feedback import report_refusal
from portal.core.models import Role
from portal.core.xlsx import workbook_bytes, xlsx_response
from supervision.annual import services
from supervision.annual.due import due_at, due_on_for
from supervision.annual.evaluation import evaluation_decide
from supervision.annual.forms import AnnualReportForm, EvaluationForm
from supervision.annual.permissions import access_annual_report, access_evaluated_enterprise
from supervision.annual.scorecard import (
    GOOD_FROM,
    LINES,
    RECTIFY_BELOW,
    evaluable_enterprises,
    scorecard_for,
    scorecard_rows,
)
from supervision.annual.selectors import report_rows, valid_filing, year_figures
from supervision.models import AnnualReportStatus, Evaluation, EvaluationOutcome

FIGURE_LABELS = [
    ("plans_acknowledged", gettext_lazy("Implementation plans acknowledged")),
    ("sessions_held", gettext_lazy("Assessment sessions held")),
    ("examinees", gettext_lazy("Examinees")),
    ("passed", gettext_lazy("Passed")),
    ("certificates_issued", gettext_lazy("Certificates issued")),
]


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _figure_rows(figures: dict) -> list[tuple]:
    return [(label, figures.get(key, 0)) for key, label in FIGURE_LABELS]


# The enterprise's report (R-M4) -------------------------------------------------------------


@login_required
def annual_report_mine(request: HttpRequest) -> HttpResponse:
    membership = require_role(request.user, {Role.ENTERPRISE})
    enterprise = membership.enterprise
    today = timezone.localdate()
    year = today.year
    filing = valid_filing(enterprise, today)
    report = services.annual_report_current(enterprise, year)
    due_on = report.due_on if report else due_on_for(enterprise, year)
    context = {
        "year": year,
        "filing": filing,
        "report": report,
        "due_on": due_on,
        "overdue": today > due_on
        and not (report and report.status == AnnualReportStatus.SUBMITTED),
    }
    if report and report.status == AnnualReportStatus.SUBMITTED:
        context["figures"] = _figure_rows(report.figures)
        context["events"] = audit_events_for(report)
        return render(request, "supervision/annual_report_mine.html", context)
    context["figures"] = _figure_rows(year_figures(enterprise, year - 1))
    if filing is None:
        return render(request, "supervision/annual_report_mine.html", context)
    initial = {"version": report.version if report else 0}
    if report:
        initial.update(
            summary=report.summary, plan=report.plan, planned_examinees=report.planned_examinees
        )
    form = AnnualReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            services.annual_report_save(
                enterprise=enterprise,
                actor=request.user,
                year=year,
                data=form.cleaned_data,
                expected_version=form.cleaned_data.get("version") or 0,
                submit=submit,
                today=today,
            )
        except StaleEdit as error:
            report_refusal(request, error, form=form)
        except ServiceError as error:
            report_refusal(request, error)
        else:
            messages.success(
                request,
                _("The annual report was submitted.") if submit else _("The draft was saved."),
            )
            return redirect("annual_report_mine")
    context["form"] = form
    return render(request, "supervision/annual_report_mine.html", context)


# The bureaus' view ------------------------------------------------------------------------


@login_required
@require_safe
def annual_report_list(request: HttpRequest) -> HttpResponse:
    membership = require_role(request.user, AREA_ROLES)
    today = timezone.localdate()
    year = _year(request, today.year)
    rows = report_rows(user=request.user, year=year, today=today)
    context = {
        "year": year,
        "years": list(range(today.year, today.year - 5, -1)),
        "rows": rows,
        "due_on": due_at(membership.bureau, year),
        "missing": sum(1 for row in rows if not row["submitted"]),
        "overdue_count": sum(1 for row in rows if row["overdue"]),
    }
    return render(request, "supervision/annual_report_list.html", context)


@login_required
@require_safe
def annual_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = access_annual_report(user=request.user, annual_report_id=pk, roles=READING_ROLES)
    context = {
        "report": report,
        "figures": _figure_rows(report.figures),
        "events": audit_events_for(report),
    }
    return render(request, "supervision/annual_report_detail.html", context)


# The yearly evaluation (R-M3) -------------------------------------------------------------


def _evaluation_rows(request: HttpRequest, year: int) -> list[dict]:
    """The city's enterprises to evaluate for `year`, with their scorecards (city staff only)."""
    city = require_role(request.user, {Role.CITY}).bureau
    decided = {
        e.enterprise_id: e
        for e in Evaluation.objects.filter(enterprise__district__parent=city, year=year)
    }
    rows = []
    for enterprise in evaluable_enterprises(city=city, year=year):
        scorecard = scorecard_for(enterprise, year)
        rows.append(
            {
                "enterprise": enterprise,
                "scorecard": scorecard,
                "suggested_label": EvaluationOutcome(scorecard["suggested"]).label,
                "evaluation": decided.get(enterprise.pk),
            }
        )
    return rows


@login_required
@require_safe
def evaluation_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _year(request, today.year - 1)
    rows = _evaluation_rows(request, year)
    context = {
        "year": year,
        "years": list(range(today.year - 1, today.year - 6, -1)),
        "rows": rows,
        "lines": [(key, label, maximum) for key, label, maximum in LINES],
        "rectify_below": RECTIFY_BELOW,
        "good_from": GOOD_FROM,
        "undecided": sum(1 for row in rows if row["evaluation"] is None),
    }
    return render(request, "supervision/evaluation_list.html", context)


@login_required
@require_safe
def evaluation_export(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _year(request, today.year - 1)
    rows = _evaluation_rows(request, year)
    headers = [
        _("Enterprise"),
        _("Unified social credit code"),
        _("District"),
        *[f"{label}（{maximum}）" for _key, label, maximum in LINES],
        _("Score"),
        _("Suggested outcome"),
        _("Decided outcome"),
        _("Note"),
    ]
    data = []
    for row in rows:
        lines = row["scorecard"]["lines"]
        evaluation = row["evaluation"]
        data.append(
            [
                row["enterprise"].name,
                row["enterprise"].credit_code,
                row["enterprise"].district.name,
                *[lines[key]["points"] for key, _label, _maximum in LINES],
                row["scorecard"]["score"],
                str(row["suggested_label"]),
                evaluation.get_outcome_display() if evaluation else "",
                evaluation.note if evaluation else "",
            ]
        )
    content = workbook_bytes(
        title=_("Evaluation %(year)s") % {"year": year},
        headers=headers,
        rows=data,
        widths=[36, 22, 12, *[12] * len(LINES), 8, 16, 16, 30],
    )
    return xlsx_response(content, filename=f"evaluation-{year}.xlsx")


@login_required
def evaluation_detail(request: HttpRequest, year: int, enterprise_id: int) -> HttpResponse:
    membership = require_role(request.user, {Role.CITY})
    enterprise = access_evaluated_enterprise(user=request.user, enterprise_id=enterprise_id)
    evaluation = Evaluation.objects.filter(enterprise=enterprise, year=year).first()
    if (
        evaluation is None
        and not evaluable_enterprises(city=membership.bureau, year=year)
        .filter(pk=enterprise.pk)
        .exists()
    ):
        raise Http404
    today = timezone.localdate()
    scorecard = evaluation.scorecard if evaluation else scorecard_for(enterprise, year)
    form = None
    if evaluation is None:
        form = EvaluationForm(request.POST or None, initial={"outcome": scorecard["suggested"]})
        if request.method == "POST" and form.is_valid():
            try:
                decided = evaluation_decide(
                    enterprise=enterprise,
                    year=year,
                    outcome=form.cleaned_data["outcome"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                    today=today,
                )
            except ServiceError as error:
                report_refusal(request, error)
            else:
                messages.success(request, _("The evaluation was decided."))
                if getattr(decided, "report", None) is not None:
                    messages.info(
                        request,
                        _("The removal is reported to the provincial centre, which decides it."),
                    )
                return redirect("evaluation_detail", year=year, enterprise_id=enterprise.pk)
    elif request.method == "POST":
        messages.error(
            request,
            _("The evaluation of %(year)s for this enterprise was already decided.")
            % {"year": year},
        )
    context = {
        "enterprise": enterprise,
        "year": year,
        "scorecard": scorecard,
        "rows": scorecard_rows(scorecard),
        "suggested_label": EvaluationOutcome(scorecard["suggested"]).label,
        "evaluation": evaluation,
        "form": form,
        "rectify_below": RECTIFY_BELOW,
        "good_from": GOOD_FROM,
        "can_decide": year < today.year,
        "events": audit_events_for(evaluation) if evaluation else [],
    }
    return render(request, "supervision/evaluation_detail.html", context)
