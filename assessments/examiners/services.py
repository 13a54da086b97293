"""The register of examiners and internal quality supervisors (考评人员, R-C3), and the checks a
plan's examiner list must pass (R-P1).

The enterprise keeps its register: people, their qualification, and the occupations and highest
level each may assess. The city revokes a person's qualification (R-C3); a revoked person is
never offered for a plan again and is flagged on any plan that still names them.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from assessments.models import (
    Examiner,
    ExaminerRole,
    ExaminerScope,
    ExaminerStatus,
    ImplementationPlan,
)
from filings.eligibility import policy_for
from filings.models import LEVEL_NAMES, Enterprise, FilingScopeLine, Occupation
from portal.core.audit import audit_record
from portal.core.crypto import id_digest
from portal.core.errors import FieldsInvalid, Problem
from portal.core.workflow import apply_changes, bump, locked, transition

# The model's words "Active"/"Revoked" are shared with enterprises and certificates (已激活 …);
# the register says what they mean for a person's qualification.
STATUS_WORDS = {
    ExaminerStatus.ACTIVE: pgettext_lazy("examiner status", "Active"),
    ExaminerStatus.REVOKED: pgettext_lazy("examiner status", "Revoked"),
}
EXAMINER_FIELDS = ["role", "name", "id_number", "phone", "qualification", "certificate_number"]


def _today() -> dt.date:
    return timezone.localdate()


def _d(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def occupations_for_register(*, enterprise: Enterprise) -> QuerySet[Occupation]:
    """The occupations the enterprise has put in any of its filings' scope."""
    lines = FilingScopeLine.objects.filter(filing__enterprise=enterprise)
    return Occupation.objects.filter(pk__in=lines.values("occupation_id")).order_by("code")


def _revoked_elsewhere(id_number: str, exclude_pk: int | None = None) -> Examiner | None:
    """R-C3: a revoked qualification follows the person, whichever enterprise registers them."""
    return (
        Examiner.objects.filter(id_hash=id_digest(id_number), status=ExaminerStatus.REVOKED)
        .exclude(pk=exclude_pk)
        .order_by("-revoked_on")
        .first()
    )


def _person_problems(*, enterprise: Enterprise, data: dict, exclude_pk=None) -> dict[str, str]:
    errors = {}
    revoked = _revoked_elsewhere(data["id_number"], exclude_pk)
    if revoked is not None:
        errors["id_number"] = _(
            # R-C3
            "The examiner qualification of this person was revoked by the city on %(date)s; "
            "they cannot be registered again."
        ) % {"date": _d(revoked.revoked_on) if revoked.revoked_on else "—"}
    duplicate = (
        Examiner.objects.filter(
            enterprise=enterprise, id_hash=id_digest(data["id_number"]), role=data["role"]
        )
        .exclude(pk=exclude_pk)
        .first()
    )
    if duplicate is not None and "id_number" not in errors:
        errors["id_number"] = _(
            # R-C3
            "%(name)s is already in the register as “%(role)s” with this ID number."
        ) % {"name": duplicate.name, "role": duplicate.get_role_display()}
    return errors


@transaction.atomic
def examiner_create(*, enterprise: Enterprise, actor, data: dict) -> Examiner:
    # Serialise additions per enterprise, so two forms cannot register the same person twice.
    Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    errors = _person_problems(enterprise=enterprise, data=data)
    if errors:
        raise FieldsInvalid(errors)
    examiner = Examiner.objects.create(
        enterprise=enterprise, **{field: data[field] for field in EXAMINER_FIELDS}
    )
    audit_record(
        obj=examiner,
        actor=actor,
        action="examiner_create",
        to_status=ExaminerStatus.ACTIVE,
        note=f"{examiner.name}（{examiner.get_role_display()}）",
    )
    return examiner


def _lock(examiner: Examiner, expected_version: int | None = None) -> Examiner:
    refusal = _(
        # R-C3
        "The qualification of %(name)s is revoked; the entry can no longer change."
    ) % {"name": examiner.name}
    return locked(
        examiner,
        statuses=[ExaminerStatus.ACTIVE],
        expected_version=expected_version,
        related=["enterprise"],
        refusal=refusal,
    )


@transaction.atomic
def examiner_update(*, examiner: Examiner, actor, data: dict, expected_version: int) -> Examiner:
    examiner = _lock(examiner, expected_version)
    errors = _person_problems(enterprise=examiner.enterprise, data=data, exclude_pk=examiner.pk)
    if errors:
        raise FieldsInvalid(errors)
    changed = apply_changes(examiner, data, EXAMINER_FIELDS)
    # The digest follows the number (IDDigestField computes it on save).
    digest = ["id_hash"] if "id_number" in changed else []
    bump(examiner, [*changed, *digest])
    if changed:
        labels = [str(Examiner._meta.get_field(field).verbose_name) for field in changed]
        audit_record(obj=examiner, actor=actor, action="examiner_edit", note="、".join(labels))
    return examiner


def _touch(examiner: Examiner, expected_version: int | None) -> Examiner:
    examiner = _lock(examiner, expected_version)
    bump(examiner)
    return examiner


@transaction.atomic
def examiner_scope_save(
    *, examiner: Examiner, actor, scope: ExaminerScope, expected_version: int | None
) -> ExaminerScope:
    """An occupation the person may assess, down from the highest level they may assess."""
    examiner = _touch(examiner, expected_version)
    duplicate = examiner.scopes.filter(occupation=scope.occupation).exclude(pk=scope.pk)
    if duplicate.exists():
        raise FieldsInvalid(
            {
                "occupation": _(
                    # R-P1
                    "%(occupation)s is already in this person's scope; edit that line."
                )
                % {"occupation": scope.occupation.name}
            }
        )
    scope.examiner = examiner
    scope.save()
    audit_record(
        obj=examiner,
        actor=actor,
        action="examiner_scope",
        note=_("%(occupation)s up to %(level)s")
        % {"occupation": scope.occupation, "level": LEVEL_NAMES[scope.highest_level]},
    )
    return scope


@transaction.atomic
def examiner_scope_delete(*, examiner: Examiner, actor, scope: ExaminerScope) -> None:
    examiner = _touch(examiner, None)
    note = str(scope.occupation)
    scope.delete()
    audit_record(obj=examiner, actor=actor, action="examiner_scope_delete", note=note)


@transaction.atomic
def examiner_revoke(
    *, examiner: Examiner, actor, reason: str, revoked_on: dt.date | None = None
) -> Examiner:
    """R-C3: misconduct or two lapses; the city revokes the qualification, with date and reason."""
    examiner = _lock(examiner)
    if not reason.strip():
        # R-C3
        raise FieldsInvalid({"reason": _("Give the reason for the revocation.")})
    revoked_on = revoked_on or _today()
    if revoked_on > _today():
        raise FieldsInvalid(
            # R-C3
            {"revoked_on": _("The revocation cannot be dated in the future.")}
        )
    examiner.revoked_on = revoked_on
    examiner.revoked_reason = reason
    transition(
        examiner,
        actor=actor,
        to=ExaminerStatus.REVOKED,
        action="examiner_revoke",
        note=reason,
        fields=["revoked_on", "revoked_reason"],
    )
    return examiner


# For the plans ------------------------------------------------------------------------------


def _active(queryset: QuerySet[Examiner]) -> QuerySet[Examiner]:
    revoked_person = Examiner.objects.filter(
        id_hash=OuterRef("id_hash"), status=ExaminerStatus.REVOKED
    )
    return queryset.filter(status=ExaminerStatus.ACTIVE).exclude(Exists(revoked_person))


def examiners_available_for(
    *, enterprise: Enterprise, occupation: Occupation, levels
) -> QuerySet[Examiner]:
    """Active examiners of the enterprise whose scope covers the occupation at every requested
    level: level 1 is the highest, so a person cleared up to level 3 assesses 3, 4 and 5."""
    levels = list(levels)
    examiners = _active(Examiner.objects.filter(enterprise=enterprise, role=ExaminerRole.EXAMINER))
    if not levels:
        return examiners.none()
    covering = ExaminerScope.objects.filter(
        examiner=OuterRef("pk"), occupation=occupation, highest_level__lte=min(levels)
    )
    return examiners.filter(Exists(covering)).order_by("name", "pk")


def supervisors_available_for(*, enterprise: Enterprise) -> QuerySet[Examiner]:
    """Active internal quality supervisors of the enterprise."""
    return _active(
        Examiner.objects.filter(enterprise=enterprise, role=ExaminerRole.SUPERVISOR)
    ).order_by("name", "pk")


def plan_examiner_problems(*, plan: ImplementationPlan) -> list[Problem]:
    """What is wrong with the plan's examiners and supervisors (R-P1, R-C3), in Chinese.

    Checks: enough qualified active examiners for the city (the policy's min_plan_examiners);
    nobody revoked; each examiner cleared for the occupation and the highest level of the plan;
    nobody who assesses or supervises the plan is also on its roster."""
    scheme = plan.scheme
    occupation = scheme.scope_line.occupation
    levels = list(plan.levels or scheme.levels)
    top = min(levels) if levels else None
    examiners = list(plan.examiners.prefetch_related("scopes"))
    supervisors = list(plan.supervisors.all())
    people = examiners + supervisors
    digests = {person.id_hash for person in people}
    revoked_digests = set(
        Examiner.objects.filter(id_hash__in=digests, status=ExaminerStatus.REVOKED).values_list(
            "id_hash", flat=True
        )
    )
    on_roster = set(plan.roster.filter(id_hash__in=digests).values_list("id_hash", flat=True))
    problems = []
    qualified = 0
    for person in examiners:
        reasons = []
        if person.enterprise_id != plan.enterprise_id:
            reasons.append(
                Problem(
                    _("%(name)s is not in the enterprise's register of examiners.")
                    % {"name": person.name},
                    rule="R-P1",
                )
            )
        if person.status == ExaminerStatus.REVOKED or person.id_hash in revoked_digests:
            reasons.append(_revoked_problem(person))
        if person.role != ExaminerRole.EXAMINER:
            reasons.append(
                Problem(
                    _("%(name)s is registered as “%(role)s”, not as an examiner.")
                    % {"name": person.name, "role": person.get_role_display()},
                    rule="R-P1",
                )
            )
        scope = next((s for s in person.scopes.all() if s.occupation_id == occupation.pk), None)
        if scope is None:
            reasons.append(
                Problem(
                    _("%(name)s is not qualified to assess %(occupation)s.")
                    % {"name": person.name, "occupation": occupation.name},
                    rule="R-P1",
                )
            )
        elif top is not None and scope.highest_level > top:
            reasons.append(
                Problem(
                    _(
                        "%(name)s may assess %(occupation)s only up to %(allowed)s; the plan "
                        "includes %(top)s."
                    )
                    % {
                        "name": person.name,
                        "occupation": occupation.name,
                        "allowed": LEVEL_NAMES[scope.highest_level],
                        "top": LEVEL_NAMES[top],
                    },
                    rule="R-P1",
                )
            )
        problems += reasons
        if not reasons:
            qualified += 1
    for person in supervisors:
        if person.status == ExaminerStatus.REVOKED or person.id_hash in revoked_digests:
            problems.append(_revoked_problem(person))
        if person.role != ExaminerRole.SUPERVISOR:
            problems.append(
                Problem(
                    _("%(name)s is not registered as an internal quality supervisor.")
                    % {"name": person.name},
                    rule="R-P1",
                )
            )
    for person in {person.pk: person for person in people}.values():
        if person.id_hash in on_roster:
            problems.append(
                Problem(
                    _(
                        "%(name)s (ID number ending %(tail)s) is on the roster of this plan and "
                        "cannot also assess or supervise it."
                    )
                    % {"name": person.name, "tail": person.id_number[-4:]},
                    rule="R-P1",
                )
            )
    minimum = policy_for(plan.enterprise).min_plan_examiners
    if qualified < minimum:
        problems.insert(
            0,
            Problem(
                _(
                    "The plan has %(count)s qualified active examiners for %(occupation)s; the "
                    "city requires at least %(minimum)s."
                )
                % {"count": qualified, "occupation": occupation.name, "minimum": minimum},
                rule="R-P1",
            ),
        )
    return problems


def _revoked_problem(person: Examiner) -> Problem:
    return Problem(
        _("The qualification of %(name)s was revoked; remove them from the plan.")
        % {"name": person.name},
        rule="R-C3",
    )


# How the audit trail names this area's actions (registered by AssessmentsConfig.ready).
AUDIT_ACTIONS = {
    "examiner_create": gettext_lazy("entered in the register"),
    "examiner_edit": gettext_lazy("entry edited"),
    "examiner_scope": gettext_lazy("occupation saved"),
    "examiner_scope_delete": gettext_lazy("occupation removed"),
    "examiner_revoke": gettext_lazy("qualification revoked by the city"),
}
