"""Evaluation schemes (评价方案, R-S1 … R-S5): writes, transitions and the checks before submission.

A scheme belongs to one filed occupation (a scope line of the enterprise's approved, valid filing).
The enterprise drafts it, submits it to the city, the city has experts evaluate it and approves or
returns it. A changed scheme is re-filed as a new revision; the approved one stays in force until
its successor is approved (R-S5). Every transition locks the row, checks the status, saves with
update_fields and writes an audit event.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    EDITABLE_SCHEME_STATUSES,
    OPEN_SCHEME_STATUSES,
    EvaluationScheme,
    LevelMapping,
    SchemeComponent,
    SchemeReview,
    SchemeStatus,
)
from assessments.schemes.conditions import scheme_routes_copy
from assessments.schemes.rules import (
    SCHEME_FIELDS,
    Problem,
    SchemeInvalid,
    component_problems,
    content_problems,
    mapping_problems,
    number_text,
    submission_problems,
)
from assessments.schemes.selectors import filed_lines_for
from filings.models import LEVEL_NAMES, Enterprise, FilingScopeLine, FilingStatus
from portal.core.audit import audit_record
from portal.core.decisions import record_decision
from portal.core.errors import ServiceError, StaleEdit
from portal.core.expert_review import end_delegations, experts_assign, opinion_record
from portal.core.workflow import apply_changes, bump, locked, require_status, transition


def _today() -> dt.date:
    return timezone.localdate()


# The enterprise's side ----------------------------------------------------------------------


def _lock(scheme: EvaluationScheme, statuses, expected_version=None) -> EvaluationScheme:
    scheme = locked(scheme, related=["scope_line__filing", "enterprise"])
    # The scheme's own wording: the generic one would call it 评价方案, the pages say 方案.
    refusal = _("This action is not possible while the scheme is “%(status)s”.") % {
        "status": scheme.get_status_display()
    }
    require_status(scheme, statuses, refusal=refusal)
    if expected_version is not None and scheme.version != expected_version:
        raise StaleEdit()
    return scheme


def _touch(scheme: EvaluationScheme, expected_version: int | None) -> EvaluationScheme:
    """Lock an editable scheme and bump its version for a change to its parts."""
    scheme = _lock(scheme, EDITABLE_SCHEME_STATUSES, expected_version)
    bump(scheme)
    return scheme


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
                    _("Choose an occupation of the enterprise's approved, valid filing."),
                    rule_last=True,
                    rule="R-P4",
                    field="scope_line",
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
                    _(
                        "This occupation already has a scheme; open it, and start a revision "
                        "there if it must change."
                    ),
                    rule_last=True,
                    rule="R-S5",
                    field="scope_line",
                )
            ]
        )
    problems = content_problems(scope_line=scope_line, data=data)
    if problems:
        raise SchemeInvalid(problems)
    scheme = EvaluationScheme.objects.create(
        enterprise=enterprise,
        scope_line=scope_line,
        **{field: data[field] for field in SCHEME_FIELDS if field in data},
    )
    audit_record(obj=scheme, actor=actor, action="scheme_create", to_status=SchemeStatus.DRAFT)
    return scheme


@transaction.atomic
def scheme_update(
    *, scheme: EvaluationScheme, actor, data: dict, expected_version: int
) -> EvaluationScheme:
    scheme = _lock(scheme, EDITABLE_SCHEME_STATUSES, expected_version)
    problems = content_problems(scope_line=scheme.scope_line, data=data)
    if problems:
        raise SchemeInvalid(problems)
    changed = apply_changes(scheme, data, [field for field in SCHEME_FIELDS if field in data])
    bump(scheme, changed)
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
        "weight": number_text(component.weight),
        "mark": number_text(component.pass_mark),
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
    scheme = _lock(scheme, EDITABLE_SCHEME_STATUSES, expected_version)
    problems = submission_problems(scheme)
    if problems:
        raise ServiceError(_("The scheme cannot be submitted yet."), problems)
    scheme.submitted_at = timezone.now()
    transition(
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
    scheme = _lock(scheme, [SchemeStatus.APPROVED])
    filing = scheme.scope_line.filing
    if filing.status != FilingStatus.APPROVED or filing.valid_until < _today():
        raise ServiceError(
            _(
                # R-P4
                "The filing of this occupation is no longer valid; file the enterprise again "
                "before changing the scheme."
            )
        )
    pending = EvaluationScheme.objects.filter(
        scope_line=scheme.scope_line, status__in=OPEN_SCHEME_STATUSES
    ).first()
    if pending is not None:
        raise ServiceError(
            # R-S5
            _("Revision %(revision)s of this scheme is already in the making.")
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
    scheme_routes_copy(source=scheme, target=revision)
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


def scheme_assign_experts(*, scheme: EvaluationScheme, actor, experts: list) -> EvaluationScheme:
    """R-S5: the city has experts evaluate the scheme; each gets a django-guardian delegation."""
    return experts_assign(
        subject=scheme,
        actor=actor,
        experts=experts,
        assignments="reviews",
        perm="assessments.evaluate_scheme",
        waiting=SchemeStatus.SUBMITTED,
        reviewing=SchemeStatus.EXPERT_REVIEW,
        action="scheme_assign_experts",
        # R-S5
        none_chosen=_("Choose at least one expert to evaluate the scheme."),
        lock=_lock,
    )


def scheme_expert_opinion(
    *, review: SchemeReview, actor, score: int, recommendation: str, opinion: str
) -> SchemeReview:
    if not 0 <= score <= 100:
        # R-S5
        raise ServiceError(_("The score lies between 0 and 100."))
    return opinion_record(
        subject=review.scheme,
        row=review,
        actor=actor,
        reviewing=SchemeStatus.EXPERT_REVIEW,
        values={"score": score, "recommendation": recommendation, "opinion": opinion},
        action="scheme_expert_opinion",
        lock=_lock,
    )


@transaction.atomic
def scheme_approve(*, scheme: EvaluationScheme, actor, note: str = "") -> EvaluationScheme:
    """R-S5: the city approves after every assigned expert has given an opinion; a re-filed
    revision supersedes the version it replaces."""
    scheme = _lock(scheme, [SchemeStatus.EXPERT_REVIEW])
    if scheme.reviews.filter(submitted_at__isnull=True).exists():
        # R-S5
        raise ServiceError(_("Wait until every assigned expert has given an opinion."))
    if not scheme.reviews.exists():
        # R-S5
        raise ServiceError(_("Experts must evaluate the scheme before it is approved."))
    if scheme.replaces_id:
        previous = EvaluationScheme.objects.select_for_update().get(pk=scheme.replaces_id)
        if previous.status == SchemeStatus.APPROVED:
            # Before the new one is approved: one approved scheme per occupation at any moment.
            transition(
                previous,
                actor=actor,
                to=SchemeStatus.SUPERSEDED,
                action="scheme_supersede",
                note=_("Replaced by revision %(revision)s") % {"revision": scheme.revision},
            )
    scheme.approved_on = _today()
    return record_decision(
        scheme,
        actor=actor,
        to=SchemeStatus.APPROVED,
        action="scheme_approve",
        note=note,
        fields=["approved_on"],
    )


@transaction.atomic
def scheme_return(*, scheme: EvaluationScheme, actor, reason: str) -> EvaluationScheme:
    """Returned for correction; the experts' delegations end with the version they judged."""
    scheme = _lock(scheme, [SchemeStatus.SUBMITTED, SchemeStatus.EXPERT_REVIEW])
    if not reason.strip():
        # R-S5
        raise ServiceError(_("Say what must be corrected."))
    end_delegations(obj=scheme, assignments=scheme.reviews, perm="assessments.evaluate_scheme")
    return record_decision(
        scheme, actor=actor, to=SchemeStatus.RETURNED, action="scheme_return", note=reason
    )


# How the audit trail names this area's actions (registered by AssessmentsConfig.ready).
AUDIT_ACTIONS = {
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
}
