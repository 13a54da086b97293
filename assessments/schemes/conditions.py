"""Application conditions of a scheme, per level (申报条件, 破格条件; seed 004 §三(一)(二), seed
001 §七(一)): their rules, how they read, and the routes the roster check applies.

Each level offered has one or more alternative routes, each a set of minimums (years in the
occupation, years since joining, a certificate of a lower level and years since it, training
hours). Exceptional routes (破格) name their ground and replace the ordinary ones for a roster
row that states its reason and evidence.
"""

from django.utils.translation import gettext as _

from assessments.models import ApplicationRoute, EvaluationScheme
from assessments.rosters.reader.conditions import Route, level_name, route_text
from filings.models import LEVEL_NAMES
from portal.core.errors import Problem

MINIMUM_FIELDS = [
    "min_years_in_occupation",
    "min_years_employed",
    "prior_certificate_level",
    "min_years_since_certificate",
    "min_training_hours",
]
ROUTE_FIELDS = ["level", "exceptional", "ground", "description", *MINIMUM_FIELDS]


def _problem(message: str, field: str = "") -> Problem:
    return Problem(message, field=field)


def reader_route(route: ApplicationRoute) -> Route:
    return Route(
        level=route.level,
        exceptional=route.exceptional,
        min_years_in_occupation=route.min_years_in_occupation,
        min_years_employed=route.min_years_employed,
        prior_certificate_level=route.prior_certificate_level,
        min_years_since_certificate=route.min_years_since_certificate,
        min_training_hours=route.min_training_hours,
    )


def scheme_routes(scheme: EvaluationScheme) -> tuple[Route, ...]:
    """The routes the roster check applies: those of the levels the scheme offers."""
    return tuple(
        reader_route(route)
        for route in scheme.application_routes.all()
        if route.level in scheme.levels
    )


def route_problems(*, scheme: EvaluationScheme, route: ApplicationRoute) -> list[Problem]:
    """A route's own rules, each tied to its field."""
    problems = []
    levels = "、".join(str(LEVEL_NAMES[level]) for level in sorted(scheme.levels, reverse=True))
    if route.level not in scheme.levels:
        problems.append(
            _problem(
                _("Choose one of the levels the scheme assesses: %(levels)s.")
                % {"levels": levels or "—"},
                "level",
            )
        )
    certificate = route.prior_certificate_level
    if certificate is not None and route.level is not None and certificate <= route.level:
        problems.append(
            _problem(
                _(
                    "The certificate already held must be of a level below %(level)s (e.g. "
                    "五级 for 四级)."
                )
                % {"level": level_name(route.level)},
                "prior_certificate_level",
            )
        )
    if route.min_years_since_certificate is not None and certificate is None:
        problems.append(
            _problem(
                _("Years since a certificate need the certificate: choose its level."),
                "prior_certificate_level",
            )
        )
    if route.exceptional:
        if not route.ground:
            problems.append(
                _problem(
                    _("Choose the ground of the exceptional application (破格)."),
                    "ground",
                )
            )
        if not route.description.strip():
            problems.append(
                _problem(
                    _(
                        "Say who may apply out of the ordinary, e.g. the first three of a "
                        "municipal skill competition."
                    ),
                    "description",
                )
            )
    elif not any(getattr(route, field) is not None for field in MINIMUM_FIELDS):
        problems.append(
            _problem(
                _(
                    "Set at least one minimum: years in the occupation, years since joining, a "
                    "certificate already held or training hours."
                ),
                "min_years_in_occupation",
            )
        )
    return problems


def submission_route_problems(scheme: EvaluationScheme) -> list[Problem]:
    """Routes of levels the scheme no longer offers keep it from being submitted."""
    return [
        _problem(
            _(
                "Application conditions are set for %(level)s, which the scheme does not assess; "
                "remove them or offer the level."
            )
            % {"level": LEVEL_NAMES[level]}
        )
        for level in sorted(
            {route.level for route in scheme.application_routes.all()} - set(scheme.levels),
            reverse=True,
        )
    ]


def route_summary(route: ApplicationRoute) -> str:
    return route_text(reader_route(route)) or "—"


def scheme_conditions_context(scheme: EvaluationScheme) -> dict:
    """The scheme page's table: for each level offered, its routes (ordinary, then 破格)."""
    routes = list(scheme.application_routes.all())
    for route in routes:
        route.summary = route_summary(route)
    levels = [
        {
            "level": level,
            "label": LEVEL_NAMES[level],
            "ordinary": [r for r in routes if r.level == level and not r.exceptional],
            "exceptional": [r for r in routes if r.level == level and r.exceptional],
        }
        for level in sorted(scheme.levels, reverse=True)
    ]
    return {"condition_levels": levels, "has_conditions": bool(routes)}


def scheme_routes_copy(*, source: EvaluationScheme, target: EvaluationScheme) -> None:
    """R-S5: a revision starts with the conditions of the scheme it replaces."""
    ApplicationRoute.objects.bulk_create(
        ApplicationRoute(scheme=target, **{field: getattr(route, field) for field in ROUTE_FIELDS})
        for route in source.application_routes.all()
    )
