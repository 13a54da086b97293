"""Evaluation schemes (评价方案, R-S1 … R-S5): writes, transitions and the checks before submission.

A scheme belongs to one filed occupation (a scope line of the enterprise's approved, valid filing).
The enterprise drafts it, submits it to the city, the city has experts evaluate it and approves or
returns it. A changed scheme is re-filed as a new revision; the approved one stays in force until
its successor is approved (R-S5). Every transition locks the row, checks the status, saves with
update_fields and writes an audit event.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    EDITABLE_SCHEME_STATUSES,
    OPEN_SCHEME_STATUSES,
    ComponentKind,
    EvaluationMethod,
    EvaluationScheme,
    LevelMapping,
    SchemeComponent,
    SchemeReview,
    SchemeStatus,
    StandardBasis,
)
from filings.models import LEVEL_NAMES, Enterprise, FilingScopeLine, FilingStatus, StandardType
from portal.core.audit import audit_record
from portal.core.delegations import delegate_experts, end_delegations
from portal.core.errors import InvalidTransition, ServiceError, StaleEdit

SCHEME_FIELDS = [
    "standard_basis",
    "standard_name",
    "levels",
    "methods",
    "application_conditions",
    "exceptional_conditions",
    "direct_recognition_criteria",
]
ABILITY_KINDS = [ComponentKind.THEORY, ComponentKind.PRACTICAL]
QUALITY_KINDS = [ComponentKind.SAFETY, ComponentKind.ETHICS, ComponentKind.PERFORMANCE]
HUNDRED = Decimal(100)


class SchemeRecommendation(models.TextChoices):
    """What an expert recommends and what the city decides (R-S5)."""

    APPROVE = "approve", gettext_lazy("Approve the scheme")
    RETURN = "return", gettext_lazy("Return the scheme for correction")


@dataclass(frozen=True)
class Problem:
    """A failed rule; `field` names the form field it belongs to, if any."""

    rule: str
    message: str
    field: str = ""

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


class SchemeInvalid(ServiceError):
    """The data breaks scheme rules; each problem names its field so the form can show it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("The scheme breaks the rules listed below."), problems)


def _today() -> dt.date:
    return timezone.localdate()


def level_names(levels) -> str:
    return "、".join(str(LEVEL_NAMES[level]) for level in sorted(levels, reverse=True))


# Reads the scheme pages and the plans need --------------------------------------------------


def filed_lines_for(*, enterprise: Enterprise, today: dt.date | None = None):
    """R-P4: the scope lines of the enterprise's approved filings still valid today."""
    today = today or _today()
    return FilingScopeLine.objects.filter(
        filing__enterprise=enterprise,
        filing__status=FilingStatus.APPROVED,
        filing__valid_until__gte=today,
    ).select_related("filing", "occupation", "work_type")


def lines_without_scheme(*, enterprise: Enterprise, today: dt.date | None = None):
    """Filed occupations that have no scheme yet, approved or in the making."""
    current = [SchemeStatus.APPROVED, *OPEN_SCHEME_STATUSES]
    return filed_lines_for(enterprise=enterprise, today=today).exclude(schemes__status__in=current)


def approved_scheme_for(
    scope_line: FilingScopeLine, *, today: dt.date | None = None
) -> EvaluationScheme | None:
    """The scheme a plan may use for this filed occupation: approved (R-S5) and inside a filing
    still approved and valid (R-P4). None when there is none."""
    today = today or _today()
    filing = scope_line.filing
    if filing.status != FilingStatus.APPROVED or filing.valid_until < today:
        return None
    return (
        EvaluationScheme.objects.filter(scope_line=scope_line, status=SchemeStatus.APPROVED)
        .select_related("scope_line__occupation", "scope_line__work_type")
        .first()
    )


def approved_schemes_for(*, enterprise: Enterprise, today: dt.date | None = None) -> QuerySet:
    """Every scheme the enterprise's plans may use today (R-S5, R-P4)."""
    today = today or _today()
    return EvaluationScheme.objects.filter(
        enterprise=enterprise,
        status=SchemeStatus.APPROVED,
        scope_line__filing__status=FilingStatus.APPROVED,
        scope_line__filing__valid_until__gte=today,
    ).select_related("scope_line__occupation", "scope_line__work_type")


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


def content_problems(*, scope_line: FilingScopeLine, data: dict) -> list[Problem]:
    """The rules on the scheme's own fields, each tied to its field."""
    problems = []
    levels = data.get("levels") or []
    if not levels:
        problems.append(
            Problem("R-S4", _("Choose at least one level the scheme assesses."), "levels")
        )
    outside = sorted(set(levels) - set(scope_line.levels), reverse=True)
    if outside:
        problems.append(
            Problem(
                "R-P4",
                _(
                    "%(outside)s is not in the filed scope of this occupation; the filing "
                    "allows only %(filed)s."
                )
                % {"outside": level_names(outside), "filed": level_names(scope_line.levels)},
                "levels",
            )
        )
    basis = data.get("standard_basis")
    if basis and STANDARD_RANK[basis] < FILED_STANDARD_RANK[scope_line.standard_type]:
        problems.append(
            Problem(
                "R-S1",
                _(
                    "The occupation was filed with a %(filed)s; the scheme cannot rest on a "
                    "lower one (%(basis)s)."
                )
                % {
                    "filed": scope_line.get_standard_type_display(),
                    "basis": StandardBasis(basis).label,
                },
                "standard_basis",
            )
        )
    methods = data.get("methods") or []
    if not methods:
        problems.append(Problem("R-S2", _("Choose at least one evaluation method."), "methods"))
    if (
        EvaluationMethod.DIRECT_RECOGNITION in methods
        and not (data.get("direct_recognition_criteria") or "").strip()
    ):
        problems.append(
            Problem(
                "R-S2",
                _(
                    "Direct recognition is among the methods: say who qualifies (competition "
                    "results, major contributions)."
                ),
                "direct_recognition_criteria",
            )
        )
    return problems


def component_problems(*, scheme: EvaluationScheme, component: SchemeComponent) -> list[Problem]:
    problems = []
    if component.weight is not None and not 0 < component.weight <= HUNDRED:
        problems.append(
            Problem("R-S2", _("The weight is a percentage above 0 and at most 100."), "weight")
        )
    if component.pass_mark is not None and not 0 <= component.pass_mark <= HUNDRED:
        problems.append(Problem("R-S2", _("The pass mark lies between 0 and 100."), "pass_mark"))
    if component.veto and component.kind != ComponentKind.SAFETY:
        problems.append(
            Problem(
                "R-S3",
                _("Only the safety production component can carry the one-vote veto."),
                "veto",
            )
        )
    others = scheme.components.exclude(pk=component.pk)
    if others.filter(kind=component.kind).exists():
        problems.append(
            Problem(
                "R-S2",
                _("The scheme already has a “%(kind)s” component; edit that one.")
                % {"kind": ComponentKind(component.kind).label},
                "kind",
            )
        )
    elif component.weight is not None:
        total = sum((c.weight for c in others), Decimal(0)) + component.weight
        if total > HUNDRED:
            problems.append(
                Problem(
                    "R-S2",
                    _(
                        "The weights of all components would add up to %(total)s %%; together "
                        "they must make exactly 100 %%."
                    )
                    % {"total": _number(total)},
                    "weight",
                )
            )
    return problems


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def mapping_problems(*, scheme: EvaluationScheme, mapping: LevelMapping) -> list[Problem]:
    problems = []
    if mapping.national_level not in scheme.levels:
        problems.append(
            Problem(
                "R-S4",
                _(
                    "An enterprise level maps to one of the national levels the scheme "
                    "assesses: %(levels)s."
                )
                % {"levels": level_names(scheme.levels) or "—"},
                "national_level",
            )
        )
    name = mapping.enterprise_level.strip()
    duplicate = scheme.level_mappings.exclude(pk=mapping.pk).filter(enterprise_level=name)
    if duplicate.exists():
        problems.append(
            Problem(
                "R-S4",
                _("“%(name)s” is already mapped in this scheme.") % {"name": name},
                "enterprise_level",
            )
        )
    return problems


def submission_problems(scheme: EvaluationScheme, today: dt.date | None = None) -> list[Problem]:
    """Everything that keeps the scheme from being submitted, each with its rule (R-S1 … R-S4)."""
    today = today or _today()
    line = scheme.scope_line
    filing = line.filing
    problems = []
    if filing.status != FilingStatus.APPROVED or filing.valid_until < today:
        problems.append(
            Problem(
                "R-P4",
                _(
                    "The filing of this occupation is no longer approved and valid; a scheme "
                    "can be filed only for an occupation of a valid filing."
                ),
            )
        )
    data = {field: getattr(scheme, field) for field in SCHEME_FIELDS}
    problems += content_problems(scope_line=line, data=data)
    if not scheme.standard_name.strip():
        problems.append(Problem("R-S1", _("Name the standard or norm the scheme follows.")))
    components = list(scheme.components.all())
    kinds = {c.kind for c in components}
    if not kinds & set(ABILITY_KINDS):
        problems.append(
            Problem(
                "R-S2",
                _(
                    "Professional ability is missing: add a theory knowledge or a practical "
                    "skill component."
                ),
            )
        )
    if not kinds & set(QUALITY_KINDS):
        problems.append(
            Problem(
                "R-S2",
                _(
                    "Professional quality is missing: add a safety production, professional "
                    "ethics or work performance component."
                ),
            )
        )
    total = sum((c.weight for c in components), Decimal(0))
    if components and total != HUNDRED:
        problems.append(
            Problem(
                "R-S2",
                _("The component weights add up to %(total)s %%; they must make exactly 100 %%.")
                % {"total": _number(total)},
            )
        )
    for component in components:
        if component.veto and component.kind != ComponentKind.SAFETY:
            problems.append(
                Problem(
                    "R-S3",
                    _("Only the safety production component can carry the one-vote veto."),
                )
            )
    for mapping in scheme.level_mappings.all():
        if mapping.national_level not in scheme.levels:
            problems.append(
                Problem(
                    "R-S4",
                    _(
                        "“%(name)s” is mapped to %(level)s, which the scheme does not assess; "
                        "map it to one of %(levels)s."
                    )
                    % {
                        "name": mapping.enterprise_level,
                        "level": LEVEL_NAMES[mapping.national_level],
                        "levels": level_names(scheme.levels) or "—",
                    },
                )
            )
    return problems


# The enterprise's side ----------------------------------------------------------------------


def _lock(scheme: EvaluationScheme) -> EvaluationScheme:
    return (
        EvaluationScheme.objects.select_for_update()
        .select_related("scope_line__filing", "enterprise")
        .get(pk=scheme.pk)
    )


def _require_status(scheme: EvaluationScheme, allowed: list[str]) -> None:
    if scheme.status not in allowed:
        raise InvalidTransition(
            _("This action is not possible while the scheme is “%(status)s”.")
            % {"status": scheme.get_status_display()}
        )


def _touch(scheme: EvaluationScheme, expected_version: int | None) -> EvaluationScheme:
    """Lock an editable scheme and bump its version for a change to its parts."""
    scheme = _lock(scheme)
    _require_status(scheme, EDITABLE_SCHEME_STATUSES)
    if expected_version is not None and scheme.version != expected_version:
        raise StaleEdit()
    scheme.version += 1
    scheme.save(update_fields=["version", "updated_at"])
    return scheme


def _transition(scheme, *, actor, to: str, action: str, note: str = "", fields=()) -> None:
    from_status = scheme.status
    scheme.status = to
    scheme.version += 1
    scheme.save(update_fields=[*fields, "status", "version", "updated_at"])
    audit_record(
        obj=scheme, actor=actor, action=action, from_status=from_status, to_status=to, note=note
    )


@transaction.atomic
def scheme_create(
    *, enterprise: Enterprise, actor, scope_line: FilingScopeLine, data: dict
) -> EvaluationScheme:
    """A draft for a filed occupation of a valid filing (R-P4) with its levels inside the filed
    ones (R-S4)."""
    if not filed_lines_for(enterprise=enterprise).filter(pk=scope_line.pk).exists():
        raise SchemeInvalid(
            [
                Problem(
                    "R-P4",
                    _("Choose an occupation of the enterprise's approved, valid filing."),
                    "scope_line",
                )
            ]
        )
    # Serialise drafts for one line so the open-scheme constraint never surfaces as an error.
    FilingScopeLine.objects.select_for_update().get(pk=scope_line.pk)
    if EvaluationScheme.objects.filter(
        scope_line=scope_line, status__in=[SchemeStatus.APPROVED, *OPEN_SCHEME_STATUSES]
    ).exists():
        raise SchemeInvalid(
            [
                Problem(
                    "R-S5",
                    _(
                        "This occupation already has a scheme; open it, and start a revision "
                        "there if it must change."
                    ),
                    "scope_line",
                )
            ]
        )
    problems = content_problems(scope_line=scope_line, data=data)
    if problems:
        raise SchemeInvalid(problems)
    scheme = EvaluationScheme.objects.create(
        enterprise=enterprise,
        scope_line=scope_line,
        **{field: data[field] for field in SCHEME_FIELDS},
    )
    audit_record(obj=scheme, actor=actor, action="scheme_create", to_status=SchemeStatus.DRAFT)
    return scheme


@transaction.atomic
def scheme_update(
    *, scheme: EvaluationScheme, actor, data: dict, expected_version: int
) -> EvaluationScheme:
    scheme = _lock(scheme)
    _require_status(scheme, EDITABLE_SCHEME_STATUSES)
    if scheme.version != expected_version:
        raise StaleEdit()
    problems = content_problems(scope_line=scheme.scope_line, data=data)
    if problems:
        raise SchemeInvalid(problems)
    changed = [field for field in SCHEME_FIELDS if getattr(scheme, field) != data[field]]
    for field in changed:
        setattr(scheme, field, data[field])
    scheme.version += 1
    scheme.save(update_fields=[*changed, "version", "updated_at"])
    if changed:
        labels = [str(EvaluationScheme._meta.get_field(field).verbose_name) for field in changed]
        audit_record(obj=scheme, actor=actor, action="scheme_edit", note="、".join(labels))
    return scheme


@transaction.atomic
def scheme_component_save(
    *,
    scheme: EvaluationScheme,
    actor,
    component: SchemeComponent,
    expected_version: int | None,
) -> SchemeComponent:
    """R-S2 weights and pass marks, R-S3 the veto on the safety component."""
    scheme = _touch(scheme, expected_version)
    problems = component_problems(scheme=scheme, component=component)
    if problems:
        raise SchemeInvalid(problems)
    component.scheme = scheme
    component.save()
    note = _("%(kind)s: weight %(weight)s %%, pass mark %(mark)s") % {
        "kind": component.get_kind_display(),
        "weight": _number(component.weight),
        "mark": _number(component.pass_mark),
    }
    if component.veto:
        note += _(", one-vote veto")
    audit_record(obj=scheme, actor=actor, action="scheme_component", note=note)
    return component


@transaction.atomic
def scheme_component_delete(*, scheme: EvaluationScheme, actor, component: SchemeComponent):
    scheme = _touch(scheme, None)
    note = component.get_kind_display()
    component.delete()
    audit_record(obj=scheme, actor=actor, action="scheme_component_delete", note=note)


@transaction.atomic
def scheme_mapping_save(
    *, scheme: EvaluationScheme, actor, mapping: LevelMapping, expected_version: int | None
) -> LevelMapping:
    """R-S4: an enterprise-defined level maps to a national level the scheme assesses."""
    scheme = _touch(scheme, expected_version)
    mapping.enterprise_level = mapping.enterprise_level.strip()
    problems = mapping_problems(scheme=scheme, mapping=mapping)
    if problems:
        raise SchemeInvalid(problems)
    mapping.scheme = scheme
    mapping.save()
    audit_record(
        obj=scheme,
        actor=actor,
        action="scheme_mapping",
        note=f"{mapping.enterprise_level} → {LEVEL_NAMES[mapping.national_level]}",
    )
    return mapping


@transaction.atomic
def scheme_mapping_delete(*, scheme: EvaluationScheme, actor, mapping: LevelMapping) -> None:
    scheme = _touch(scheme, None)
    note = mapping.enterprise_level
    mapping.delete()
    audit_record(obj=scheme, actor=actor, action="scheme_mapping_delete", note=note)


@transaction.atomic
def scheme_submit(
    *, scheme: EvaluationScheme, actor, expected_version: int | None = None
) -> EvaluationScheme:
    """R-S5: the scheme is filed with the city."""
    scheme = _lock(scheme)
    _require_status(scheme, EDITABLE_SCHEME_STATUSES)
    if expected_version is not None and scheme.version != expected_version:
        raise StaleEdit()
    problems = submission_problems(scheme)
    if problems:
        raise ServiceError(_("The scheme cannot be submitted yet."), problems)
    scheme.submitted_at = timezone.now()
    _transition(
        scheme,
        actor=actor,
        to=SchemeStatus.SUBMITTED,
        action="scheme_submit",
        fields=["submitted_at"],
    )
    return scheme


@transaction.atomic
def scheme_start_revision(*, scheme: EvaluationScheme, actor) -> EvaluationScheme:
    """R-S5: a changed scheme is re-filed. The new draft copies the approved one, which stays in
    force until the new revision is approved."""
    scheme = _lock(scheme)
    _require_status(scheme, [SchemeStatus.APPROVED])
    filing = scheme.scope_line.filing
    if filing.status != FilingStatus.APPROVED or filing.valid_until < _today():
        raise ServiceError(
            _(
                "The filing of this occupation is no longer valid; file the enterprise again "
                "before changing the scheme (R-P4)."
            )
        )
    pending = EvaluationScheme.objects.filter(
        scope_line=scheme.scope_line, status__in=OPEN_SCHEME_STATUSES
    ).first()
    if pending is not None:
        raise ServiceError(
            _("Revision %(revision)s of this scheme is already in the making (R-S5).")
            % {"revision": pending.revision}
        )
    revision = EvaluationScheme.objects.create(
        enterprise=scheme.enterprise,
        scope_line=scheme.scope_line,
        revision=scheme.revision + 1,
        replaces=scheme,
        **{field: getattr(scheme, field) for field in SCHEME_FIELDS},
    )
    SchemeComponent.objects.bulk_create(
        SchemeComponent(
            scheme=revision, kind=c.kind, weight=c.weight, pass_mark=c.pass_mark, veto=c.veto
        )
        for c in scheme.components.all()
    )
    LevelMapping.objects.bulk_create(
        LevelMapping(
            scheme=revision, enterprise_level=m.enterprise_level, national_level=m.national_level
        )
        for m in scheme.level_mappings.all()
    )
    note = _("Revision %(revision)s started from revision %(previous)s") % {
        "revision": revision.revision,
        "previous": scheme.revision,
    }
    audit_record(
        obj=revision,
        actor=actor,
        action="scheme_revision",
        to_status=SchemeStatus.DRAFT,
        note=note,
    )
    audit_record(obj=scheme, actor=actor, action="scheme_revision", note=note)
    return revision


# The city's side ----------------------------------------------------------------------------


@transaction.atomic
def scheme_assign_experts(*, scheme: EvaluationScheme, actor, experts: list) -> EvaluationScheme:
    """R-S5: the city has experts evaluate the scheme; each gets a django-guardian delegation."""
    scheme = _lock(scheme)
    _require_status(scheme, [SchemeStatus.SUBMITTED, SchemeStatus.EXPERT_REVIEW])
    if not experts:
        raise ServiceError(_("Choose at least one expert to evaluate the scheme (R-S5)."))
    names = delegate_experts(
        obj=scheme,
        experts=experts,
        actor=actor,
        assignments=scheme.reviews,
        perm="assessments.evaluate_scheme",
    )
    note = _("Experts assigned: %(names)s") % {"names": "、".join(names)}
    if scheme.status == SchemeStatus.SUBMITTED:
        _transition(
            scheme,
            actor=actor,
            to=SchemeStatus.EXPERT_REVIEW,
            action="scheme_assign_experts",
            note=note,
        )
    elif names:
        scheme.version += 1
        scheme.save(update_fields=["version", "updated_at"])
        audit_record(obj=scheme, actor=actor, action="scheme_assign_experts", note=note)
    return scheme


@transaction.atomic
def scheme_expert_opinion(
    *, review: SchemeReview, actor, score: int, recommendation: str, opinion: str
) -> SchemeReview:
    scheme = _lock(review.scheme)
    _require_status(scheme, [SchemeStatus.EXPERT_REVIEW])
    review = SchemeReview.objects.select_for_update().get(pk=review.pk)
    if review.expert_id != actor.pk:
        raise ServiceError(_("Only the assigned expert can give this opinion."))
    if not 0 <= score <= 100:
        raise ServiceError(_("The score lies between 0 and 100 (R-S5)."))
    review.score = score
    review.recommendation = recommendation
    review.opinion = opinion
    review.submitted_at = timezone.now()
    review.save(update_fields=["score", "recommendation", "opinion", "submitted_at"])
    scheme.version += 1
    scheme.save(update_fields=["version", "updated_at"])
    labels = dict(SchemeRecommendation.choices)
    audit_record(
        obj=scheme,
        actor=actor,
        action="scheme_expert_opinion",
        note=f"{score} {labels.get(recommendation, recommendation)}: {opinion}",
    )
    return review


@transaction.atomic
def scheme_approve(*, scheme: EvaluationScheme, actor, note: str = "") -> EvaluationScheme:
    """R-S5: the city approves after every assigned expert has given an opinion; a re-filed
    revision supersedes the version it replaces."""
    scheme = _lock(scheme)
    _require_status(scheme, [SchemeStatus.EXPERT_REVIEW])
    if scheme.reviews.filter(submitted_at__isnull=True).exists():
        raise ServiceError(_("Wait until every assigned expert has given an opinion (R-S5)."))
    if not scheme.reviews.exists():
        raise ServiceError(_("Experts must evaluate the scheme before it is approved (R-S5)."))
    if scheme.replaces_id:
        previous = EvaluationScheme.objects.select_for_update().get(pk=scheme.replaces_id)
        if previous.status == SchemeStatus.APPROVED:
            # Before the new one is approved: one approved scheme per occupation at any moment.
            _transition(
                previous,
                actor=actor,
                to=SchemeStatus.SUPERSEDED,
                action="scheme_supersede",
                note=_("Replaced by revision %(revision)s") % {"revision": scheme.revision},
            )
    scheme.approved_on = _today()
    scheme.decision_note = note
    _transition(
        scheme,
        actor=actor,
        to=SchemeStatus.APPROVED,
        action="scheme_approve",
        note=note,
        fields=["approved_on", "decision_note"],
    )
    return scheme


@transaction.atomic
def scheme_return(*, scheme: EvaluationScheme, actor, reason: str) -> EvaluationScheme:
    """Returned for correction; the experts' delegations end with the version they judged."""
    scheme = _lock(scheme)
    _require_status(scheme, [SchemeStatus.SUBMITTED, SchemeStatus.EXPERT_REVIEW])
    if not reason.strip():
        raise ServiceError(_("Say what must be corrected (R-S5)."))
    scheme.decision_note = reason
    end_delegations(obj=scheme, assignments=scheme.reviews, perm="assessments.evaluate_scheme")
    _transition(
        scheme,
        actor=actor,
        to=SchemeStatus.RETURNED,
        action="scheme_return",
        note=reason,
        fields=["decision_note"],
    )
    return scheme


def register_scheme_labels() -> None:
    """The history of a scheme reads as words (called from AssessmentsConfig.ready)."""
    from portal.core.audit import register_labels

    register_labels(
        actions={
            "scheme_create": gettext_lazy("scheme draft created"),
            "scheme_edit": gettext_lazy("scheme edited"),
            "scheme_component": gettext_lazy("component saved"),
            "scheme_component_delete": gettext_lazy("component removed"),
            "scheme_mapping": gettext_lazy("level mapping saved"),
            "scheme_mapping_delete": gettext_lazy("level mapping removed"),
            "scheme_submit": gettext_lazy("scheme submitted to the city"),
            "scheme_assign_experts": gettext_lazy("experts assigned"),
            "scheme_expert_opinion": gettext_lazy("expert opinion given"),
            "scheme_approve": gettext_lazy("scheme approved"),
            "scheme_return": gettext_lazy("returned for correction"),
            "scheme_revision": gettext_lazy("revision started"),
            "scheme_supersede": gettext_lazy("superseded by a re-filed revision"),
        },
        # Status words are shared by every model in the history table ("approved" reads 已备案
        # for a filing); the scheme pages label their own statuses (scheme_views.labelled_events).
        statuses={},
    )
