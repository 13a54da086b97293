"""The supervision dashboard of a district, a city or a province, its Excel export and its flags
(R-M1), with the drill-down province → city → district (`?area=<bureau id>`).

Access: district, city and provincial staff only, each into its own area (stats_scope_for);
anyone else, and any other area, gets the same 404 as a missing page. The page and the workbook
read the same figures (stats.dashboard_figures).
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_safe

from portal.core.xlsx import (
    add_sheet,
    new_workbook,
    workbook_to_bytes,
    xlsx_response,
)
from supervision.flags import cache as flag_cache
from supervision.flags import detection as flag_finders
from supervision.stats import areas
from supervision.stats import builders as stats
from supervision.stats.charts import bar_chart, column_chart


def _figures(request: HttpRequest):
    scope = stats.stats_scope_for(request.user, area=request.GET.get("area"))
    today = timezone.localdate()
    year = stats.parse_year(request.GET.get("year"), today)
    figures = stats.dashboard_figures(scope=scope, year=year, today=today)
    figures["flags"] = flag_cache.flags_for(scope=scope, year=year)
    return scope, today, year, figures


_BY_STATUS = gettext_lazy("One bar per status; the table below gives the same numbers.")
_PASS_RATE = {"maximum": 100, "suffix": "%"}

# (key, chart, title, description, rows of the figures, value of a row, extra chart options)
_CHARTS = (
    (
        "filings",
        bar_chart,
        gettext_lazy("Filings submitted in %(year)s, by status"),
        _BY_STATUS,
        lambda figures: figures["filings"],
        "count",
        {},
    ),
    (
        "occupation",
        bar_chart,
        gettext_lazy("Pass rate by occupation, %(year)s"),
        gettext_lazy("Passed examinees among those decided, in per cent, per occupation."),
        lambda figures: figures["by_occupation"],
        "rate",
        _PASS_RATE,
    ),
    (
        "level",
        bar_chart,
        gettext_lazy("Pass rate by level, %(year)s"),
        gettext_lazy("Passed examinees among those decided, in per cent, per level."),
        lambda figures: figures["by_level"],
        "rate",
        _PASS_RATE,
    ),
    (
        "certificates",
        column_chart,
        gettext_lazy("Certificates issued per month, %(year)s"),
        gettext_lazy("One column per month; the table below gives the same numbers."),
        lambda figures: figures["certificates"],
        "count",
        {},
    ),
    (
        "inspections",
        bar_chart,
        gettext_lazy("Inspections drawn in %(year)s, by status"),
        _BY_STATUS,
        lambda figures: figures["inspections"]["by_status"],
        "count",
        {},
    ),
)


def _charts(figures: dict, year: int) -> dict:
    return {
        key: chart(
            chart_id=f"chart-{key}",
            title=str(title) % {"year": year},
            desc=str(desc),
            items=[(row["label"], row[value]) for row in rows(figures)],
            **options,
        )
        for key, chart, title, desc, rows, value, options in _CHARTS
    }


@login_required
@require_safe
def stats_dashboard(request: HttpRequest) -> HttpResponse:
    scope, today, year, figures = _figures(request)
    own = request.user.membership.bureau
    return render(
        request,
        "supervision/stats_dashboard.html",
        {
            "scope": scope,
            "area_query": "" if scope.bureau.pk == own.pk else f"&area={scope.bureau.pk}",
            "sub_areas": areas.sub_area_rows(scope=scope, year=year, today=today),
            "trail": areas.trail(own=own, scope=scope, year=year),
            "year": year,
            "years": stats.year_choices(today),
            "today": today,
            "figures": figures,
            "charts": _charts(figures, year),
            "flag_kinds": flag_finders.KINDS,
            "flags_refresh_minutes": settings.FLAGS_REFRESH_SECONDS // 60,
        },
    )


def _percent(value):
    return "" if value is None else value


def _result_cells(row: dict) -> list:
    """Examinees, passed, failed and pass rate of an occupation's or a level's row."""
    return [row["examinees"], row["passed"], row["failed"], _percent(row["rate"])]


def export_sheets(figures: dict) -> list[tuple[str, list[str], list[list]]]:
    """(sheet title, headers, rows) for each figure, in the page's order."""
    results = [
        _("Examinees"),
        _("Passed"),
        pgettext("examinee result", "Failed"),
        _("Pass rate") + " (%)",
    ]
    inspections = figures["inspections"]
    return [
        (
            _("Filings by status"),
            [_("Status"), _("Filings")],
            [[row["label"], row["count"]] for row in figures["filings"]],
        ),
        (
            _("By occupation"),
            [_("Occupation code"), _("Occupation"), *results],
            [
                [row["occupation_code"], row["name"], *_result_cells(row)]
                for row in figures["by_occupation"]
            ],
        ),
        (
            _("By level"),
            [_("Level"), *results],
            [[row["label"], *_result_cells(row)] for row in figures["by_level"]],
        ),
        (
            _("Certificates per month"),
            [_("Month"), _("Certificates issued")],
            [[row["label"], row["count"]] for row in figures["certificates"]],
        ),
        (
            _("Inspections"),
            [_("Item"), _("Number")],
            [
                *[[row["label"], row["count"]] for row in inspections["by_status"]],
                [_("Filed enterprises"), inspections["filed"]],
                [_("Filed enterprises inspected this year"), inspections["covered"]],
                [_("Coverage") + " (%)", _percent(inspections["coverage"])],
            ],
        ),
        (
            _("Overdue"),
            [_("Item"), _("Rule"), _("Number")],
            [[item.label, item.rule, item.count] for item in figures["overdue"]],
        ),
        (
            _("Flags"),
            [_("Flag"), _("Rule"), _("Enterprise"), _("What was found"), _("Concerns")],
            [
                [
                    flag.title,
                    flag.rule,
                    flag.enterprise,
                    flag.message,
                    "；".join(text for text, _url in flag.links),
                ]
                for flag in figures["flags"]
            ],
        ),
    ]


def workbook(sheets) -> bytes:
    """One sheet per figure; strings are text cells (portal.core.xlsx), never formulas."""
    book = new_workbook()
    for title, headers, rows in sheets:
        add_sheet(book, title=title, headers=headers, rows=rows)
    return workbook_to_bytes(book)


@login_required
@require_safe
def stats_export(request: HttpRequest) -> HttpResponse:
    scope, _today, year, figures = _figures(request)
    name = f"{scope.bureau.name}-{year}-" + _("supervision statistics") + ".xlsx"
    return xlsx_response(workbook(export_sheets(figures)), filename=name)
