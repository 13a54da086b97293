"""The rules a scheme must meet (R-S1 … R-S5), checked on each save and before submission."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import (
    ComponentKind,
    EvaluationMethod,
    EvaluationScheme,
    LevelMapping,
    SchemeComponent,
    StandardBasis,
)
from assessments.rosters.reader.rows import parse_level
from assessments.schemes.conditions import submission_route_problems
from filings.models import LEVEL_NAMES, FilingScopeLine, FilingStatus, StandardType
from portal.core.errors import Problem, ServiceError

SCHEME_FIELDS = [
    "standard_basis",
    "standard_name",
    "levels",
    "methods",
    "declared_methods",
    "online_recognition",
    "application_conditions",
    "exceptional_conditions",
    "direct_recognition_criteria",
]
ABILITY_KINDS = [ComponentKind.THEORY, ComponentKind.PRACTICAL]
QUALITY_KINDS = [ComponentKind.SAFETY, ComponentKind.ETHICS, ComponentKind.PERFORMANCE]
HUNDRED = Decimal(100)
DECLARED_METHOD_MAX_LENGTH = 40


class SchemeInvalid(ServiceError):
    """The data breaks scheme rules; each problem names its field so the form can show it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("The scheme breaks the rules listed below."), problems)
        self.field_errors: dict[str, list[str]] = {}
        for problem in problems:
            self.field_errors.setdefault(problem.field, []).append(str(problem))


def level_names(levels) -> str:
    return "、".join(str(LEVEL_NAMES[level]) for level in sorted(levels, reverse=True))


# Rules --------------------------------------------------------------------------------------


STANDARD_RANK = {
    StandardBasis.ENTERPRISE: 1,
    StandardBasis.INDUSTRY: 2,
    StandardBasis.NATIONAL: 3,
}
FILED_STANDARD_RANK = {
    StandardType.ENTERPRISE: 1,
    StandardType.INDUSTRY: 2,
    StandardType.NATIONAL: 3,
}


def _problem(message: str, rule: str, field: str = "") -> Problem:
    """A scheme rule a field breaks; scheme pages name the rule after the message."""
    return Problem(message, rule=rule, field=field, rule_last=True)


def content_problems(*, scope_line: FilingScopeLine, data: dict) -> list[Problem]:
    """The rules on the scheme's own fields, each tied to its field."""
    problems = []
    levels = data.get("levels") or []
    if not levels:
        problems.append(
            _problem(
                _("Choose at least one level the scheme assesses."),
                "R-S4",
                "levels",
            )
        )
    outside = sorted(set(levels) - set(scope_line.levels), reverse=True)
    if outside:
        problems.append(
            _problem(
                _(
                    "%(outside)s is not in the filed scope of this occupation; the filing "
                    "allows only %(filed)s."
                )
                % {"outside": level_names(outside), "filed": level_names(scope_line.levels)},
                "R-P4",
                "levels",
            )
        )
    basis = data.get("standard_basis")
    if basis and STANDARD_RANK[basis] < FILED_STANDARD_RANK[scope_line.standard_type]:
        problems.append(
            _problem(
                _(
                    "The occupation was filed with a %(filed)s; the scheme cannot rest on a "
                    "lower one (%(basis)s)."
                )
                % {
                    "filed": scope_line.get_standard_type_display(),
                    "basis": StandardBasis(basis).label,
                },
                "R-S1",
                "standard_basis",
            )
        )
    methods = data.get("methods") or []
    if not methods:
        problems.append(
            _problem(
                _("Choose at least one evaluation method."),
                "R-S2",
                "methods",
            )
        )
    if (
        EvaluationMethod.DIRECT_RECOGNITION in methods
        and not (data.get("direct_recognition_criteria") or "").strip()
    ):
        problems.append(
            _problem(
                _(
                    "Direct recognition is among the methods: say who qualifies (competition "
                    "results, major contributions)."
                ),
                "R-S2",
                "direct_recognition_criteria",
            )
        )
    problems += declared_method_problems(data.get("declared_methods") or [])
    return problems


def declared_method_problems(names: list[str]) -> list[Problem]:
    """seed 002 §二(三): the enterprise's own methods, each named once and not a listed one."""
    problems = []
    listed = {str(label): label for _value, label in EvaluationMethod.choices}
    seen: set[str] = set()
    for name in names:
        if len(name) > DECLARED_METHOD_MAX_LENGTH:
            message = _(
                "“%(name)s” has %(length)s characters; name each method in at most %(limit)s."
            ) % {"name": name, "length": len(name), "limit": DECLARED_METHOD_MAX_LENGTH}
        elif name in seen:
            message = _("“%(name)s” is written twice; name each method once.") % {"name": name}
        elif name in listed:
            message = _(
                "“%(name)s” is one of the listed evaluation methods; tick it there instead."
            ) % {"name": name}
        else:
            seen.add(name)
            continue
        problems.append(_problem(message, "R-S2", "declared_methods"))
    return problems


def component_problems(*, scheme: EvaluationScheme, component: SchemeComponent) -> list[Problem]:
    problems = []
    if component.weight is not None and not 0 < component.weight <= HUNDRED:
        problems.append(
            _problem(
                _("The weight is a percentage above 0 and at most 100."),
                "R-S2",
                "weight",
            )
        )
    if component.pass_mark is not None and not 0 <= component.pass_mark <= HUNDRED:
        problems.append(
            _problem(
                _("The pass mark lies between 0 and 100."),
                "R-S2",
                "pass_mark",
            )
        )
    if component.veto and component.kind != ComponentKind.SAFETY:
        problems.append(
            _problem(
                _("Only the safety production component can carry the one-vote veto."),
                "R-S3",
                "veto",
            )
        )
    others = scheme.components.exclude(pk=component.pk)
    if others.filter(kind=component.kind).exists():
        problems.append(
            _problem(
                _("The scheme already has a “%(kind)s” component; edit that one.")
                % {"kind": ComponentKind(component.kind).label},
                "R-S2",
                "kind",
            )
        )
    elif component.weight is not None:
        total = sum((c.weight for c in others), Decimal(0)) + component.weight
        if total > HUNDRED:
            problems.append(
                _problem(
                    _(
                        "The weights of all components would add up to %(total)s %%; together "
                        "they must make exactly 100 %%."
                    )
                    % {"total": number_text(total)},
                    "R-S2",
                    "weight",
                )
            )
    return problems


def number_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def mapping_problems(*, scheme: EvaluationScheme, mapping: LevelMapping) -> list[Problem]:
    problems = []
    if mapping.national_level not in scheme.levels:
        problems.append(
            _problem(
                _(
                    "An enterprise level maps to one of the national levels the scheme "
                    "assesses: %(levels)s."
                )
                % {"levels": level_names(scheme.levels) or "—"},
                "R-S4",
                "national_level",
            )
        )
    name = mapping.enterprise_level.strip()
    duplicate = scheme.level_mappings.exclude(pk=mapping.pk).filter(enterprise_level=name)
    if name and parse_level(name) is not None:
        # A roster reads a national level's name as that level, never as the enterprise's.
        problems.append(
            _problem(
                _(
                    "“%(name)s” is the name of the national level %(level)s; name the "
                    "enterprise's own level differently, e.g. 特级技师 or 四级一档."
                )
                % {"name": name, "level": LEVEL_NAMES[parse_level(name)]},
                "R-S4",
                "enterprise_level",
            )
        )
    elif duplicate.exists():
        problems.append(
            _problem(
                _("“%(name)s” is already mapped in this scheme.") % {"name": name},
                "R-S4",
                "enterprise_level",
            )
        )
    return problems


def submission_problems(scheme: EvaluationScheme, today: dt.date | None = None) -> list[Problem]:
    """Everything that keeps the scheme from being submitted, each with its rule (R-S1 … R-S4)."""
    today = today or timezone.localdate()
    line = scheme.scope_line
    filing = line.filing
    problems = []
    if filing.status != FilingStatus.APPROVED or filing.valid_until < today:
        problems.append(
            _problem(
                _(
                    "The filing of this occupation is no longer approved and valid; a scheme "
                    "can be filed only for an occupation of a valid filing."
                ),
                "R-P4",
            )
        )
    data = {field: getattr(scheme, field) for field in SCHEME_FIELDS}
    problems += content_problems(scope_line=line, data=data)
    if not scheme.standard_name.strip():
        problems.append(_problem(_("Name the standard or norm the scheme follows."), "R-S1"))
    components = list(scheme.components.all())
    kinds = {c.kind for c in components}
    if not kinds & set(ABILITY_KINDS):
        problems.append(
            _problem(
                _(
                    "Professional ability is missing: add a theory knowledge or a practical "
                    "skill component."
                ),
                "R-S2",
            )
        )
    if not kinds & set(QUALITY_KINDS):
        problems.append(
            _problem(
                _(
                    "Professional quality is missing: add a safety production, professional "
                    "ethics or work performance component."
                ),
                "R-S2",
            )
        )
    total = sum((c.weight for c in components), Decimal(0))
    if components and total != HUNDRED:
        problems.append(
            _problem(
                _("The component weights add up to %(total)s %%; they must make exactly 100 %%.")
                % {"total": number_text(total)},
                "R-S2",
            )
        )
    for component in components:
        if component.veto and component.kind != ComponentKind.SAFETY:
            problems.append(
                _problem(
                    _("Only the safety production component can carry the one-vote veto."),
                    "R-S3",
                )
            )
    problems += submission_route_problems(scheme)
    for mapping in scheme.level_mappings.all():
        if mapping.national_level not in scheme.levels:
            problems.append(
                _problem(
                    _(
                        "“%(name)s” is mapped to %(level)s, which the scheme does not assess; "
                        "map it to one of %(levels)s."
                    )
                    % {
                        "name": mapping.enterprise_level,
                        "level": LEVEL_NAMES[mapping.national_level],
                        "levels": level_names(scheme.levels) or "—",
                    },
                    "R-S4",
                )
            )
    return problems
