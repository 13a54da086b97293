"""Writes of a scheme's application conditions (seed 004 §三(一)(二)): a route saved or removed
while the scheme is editable, and the routes copied into a re-filed revision (R-S5)."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import ApplicationRoute, EvaluationScheme
from assessments.schemes.conditions import level_name, route_problems, route_summary
from assessments.schemes.rules import SchemeInvalid
from assessments.schemes.services import _touch
from portal.core.audit import audit_record


def _note(route: ApplicationRoute) -> str:
    kind = _("exceptional (破格)") if route.exceptional else _("ordinary")
    return f"{level_name(route.level)} {kind}: {route.description or route_summary(route)}"


@transaction.atomic
def scheme_route_save(
    *,
    scheme: EvaluationScheme,
    actor,
    route: ApplicationRoute,
    expected_version: int | None,
) -> ApplicationRoute:
    scheme = _touch(scheme, expected_version)
    route.description = route.description.strip()
    if not route.exceptional:
        route.ground = ""
    problems = route_problems(scheme=scheme, route=route)
    if problems:
        raise SchemeInvalid(problems)
    route.scheme = scheme
    route.save()
    audit_record(obj=scheme, actor=actor, action="scheme_route", note=_note(route))
    return route


@transaction.atomic
def scheme_route_delete(*, scheme: EvaluationScheme, actor, route: ApplicationRoute) -> None:
    scheme = _touch(scheme, None)
    note = _note(route)
    route.delete()
    audit_record(obj=scheme, actor=actor, action="scheme_route_delete", note=note)


AUDIT_ACTIONS = {
    "scheme_route": gettext_lazy("application condition saved"),
    "scheme_route_delete": gettext_lazy("application condition removed"),
}
