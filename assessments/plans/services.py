"""Implementation plans and their sessions (R-P1, R-P2): writes and transitions."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    EDITABLE_PLAN_STATUSES,
    AssessmentSession,
    EvaluationScheme,
    ImplementationPlan,
    PlanStatus,
    SchemeStatus,
    SessionInvigilator,
)
from assessments.plans.selectors import first_session_date
from filings.eligibility import policy_for
from portal.core import workdays
from portal.core.audit import audit_record
from portal.core.decisions import record_decision
from portal.core.errors import Problem, ServiceError
from portal.core.workflow import apply_changes, bump, locked, transition

PLAN_FIELDS = ["title", "levels", "application_conditions"]


def _today() -> dt.date:
    return timezone.localdate()


def _check_levels(scheme: EvaluationScheme, levels: list[int]) -> None:
    outside = sorted(set(levels) - set(scheme.levels), reverse=True)
    if not levels:
        raise ServiceError(_("Choose at least one level."))
    if outside:
        raise ServiceError(
            # R-P4
            _("Levels %(levels)s are not offered by the approved scheme.")
            % {"levels": "、".join(str(level) for level in outside)}
        )


@transaction.atomic
def plan_create(*, enterprise, actor, scheme: EvaluationScheme, data: dict) -> ImplementationPlan:
    """R-P1: a plan uses only an approved scheme of the enterprise (R-S5)."""
    if scheme.enterprise_id != enterprise.pk or scheme.status != SchemeStatus.APPROVED:
        # R-S5
        raise ServiceError(_("A plan can use only an approved evaluation scheme."))
    _check_levels(scheme, data["levels"])
    plan = ImplementationPlan.objects.create(enterprise=enterprise, scheme=scheme, **data)
    audit_record(obj=plan, actor=actor, action="plan_create", to_status=PlanStatus.DRAFT)
    return plan


@transaction.atomic
def plan_update(*, plan, actor, data: dict, expected_version: int) -> ImplementationPlan:
    plan = locked(plan, statuses=EDITABLE_PLAN_STATUSES, expected_version=expected_version)
    _check_levels(plan.scheme, data["levels"])
    changed = apply_changes(plan, data, PLAN_FIELDS)
    bump(plan, changed)
    if changed:
        audit_record(obj=plan, actor=actor, action="plan_edit", note=", ".join(changed))
    return plan


@transaction.atomic
def plan_set_staff(*, plan, actor, examiners, supervisors, expected_version: int) -> None:
    plan = locked(plan, statuses=EDITABLE_PLAN_STATUSES, expected_version=expected_version)
    plan.examiners.set(examiners)
    plan.supervisors.set(supervisors)
    bump(plan)
    names = "、".join(e.name for e in [*examiners, *supervisors])
    audit_record(obj=plan, actor=actor, action="plan_staff", note=names)


@transaction.atomic
def session_save(*, plan, actor, session: AssessmentSession) -> AssessmentSession:
    plan = locked(plan, statuses=EDITABLE_PLAN_STATUSES)
    session.plan = plan
    session.save()
    bump(plan)
    audit_record(obj=plan, actor=actor, action="session_save", note=str(session))
    return session


@transaction.atomic
def session_delete(*, plan, actor, session: AssessmentSession) -> None:
    plan = locked(plan, statuses=EDITABLE_PLAN_STATUSES)
    note = str(session)
    session.delete()
    bump(plan)
    audit_record(obj=plan, actor=actor, action="session_delete", note=note)


def _session_label(session: AssessmentSession) -> str:
    when = f"{date_format(session.date, 'Y-m-d')} {session.starts_at:%H:%M}–{session.ends_at:%H:%M}"
    return f"{when} {session.site}{session.room and ' ' + session.room}"


@transaction.atomic
def invigilator_add(*, plan, actor, invigilator: SessionInvigilator) -> SessionInvigilator:
    """Seed 004 §三(一): names an invigilator for one session of the plan; the same person not
    twice in a session, nor in two sessions at the same time."""
    plan = locked(plan, statuses=EDITABLE_PLAN_STATUSES)
    session = invigilator.session
    if session.plan_id != plan.pk:
        raise ServiceError(_("This session is not one of the plan's."))
    if invigilator.examiner is not None:
        invigilator.name = invigilator.examiner.name
    invigilator.name = invigilator.name.strip()
    if session.invigilators.filter(name=invigilator.name).exists():
        raise ServiceError(
            _("%(name)s already invigilates the session of %(session)s.")
            % {"name": invigilator.name, "session": _session_label(session)}
        )
    clash = (
        SessionInvigilator.objects.filter(
            session__plan__enterprise_id=plan.enterprise_id,
            session__date=session.date,
            session__starts_at__lt=session.ends_at,
            session__ends_at__gt=session.starts_at,
            name=invigilator.name,
        )
        .select_related("session")
        .first()
    )
    if clash is not None:
        raise ServiceError(
            _(
                "%(name)s already invigilates the session of %(other)s, which overlaps the "
                "session of %(session)s: one person cannot invigilate two sessions at once."
            )
            % {
                "name": invigilator.name,
                "other": _session_label(clash.session),
                "session": _session_label(session),
            }
        )
    invigilator.save()
    bump(plan)
    audit_record(
        obj=plan,
        actor=actor,
        action="invigilator_add",
        note=f"{invigilator.name} · {_session_label(session)}",
    )
    return invigilator


@transaction.atomic
def invigilator_remove(*, plan, actor, invigilator: SessionInvigilator) -> None:
    plan = locked(plan, statuses=EDITABLE_PLAN_STATUSES)
    note = f"{invigilator.name} · {_session_label(invigilator.session)}"
    invigilator.delete()
    bump(plan)
    audit_record(obj=plan, actor=actor, action="invigilator_remove", note=note)


def invigilator_problems(plan: ImplementationPlan) -> list[Problem]:
    """Seed 004 §三(一): the plan states who invigilates each session (监考人员安排)."""
    return [
        Problem(
            _("Name at least one invigilator for the session of %(session)s.")
            % {"session": _session_label(session)},
            rule="R-P1",
        )
        for session in plan.sessions.all()
        if not session.invigilators.exists()
    ]


def lead_time_problem(plan: ImplementationPlan, submitted_on: dt.date) -> Problem | None:
    """R-P2: submitted on s, accepted only if add_working_days(s, N) <= the first session."""
    first = first_session_date(plan)
    if first is None:
        return Problem(_("Add at least one assessment session."), rule="R-P1")
    lead = policy_for(plan.enterprise).plan_lead_working_days
    try:
        earliest = workdays.add_working_days(submitted_on, lead)
    except workdays.CalendarMissing as missing:
        return Problem(str(missing), rule="R-P2")
    if earliest <= first:
        return None
    return Problem(
        _(
            "The plan must reach the city at least %(n)s working days before the first session "
            "(%(first)s). Submitted today, the earliest session date allowed is %(earliest)s."
        )
        % {
            "n": lead,
            "first": date_format(first, "Y-m-d"),
            "earliest": date_format(earliest, "Y-m-d"),
        },
        rule="R-P2",
    )


def plan_problems(plan: ImplementationPlan, today: dt.date) -> list[Problem]:
    """Everything that stands between the plan and its submission (R-P1, R-P2, R-P4, R-C3)."""
    problems = []
    if plan.scheme.status != SchemeStatus.APPROVED:
        problems.append(
            Problem(_("The evaluation scheme is no longer the approved one."), rule="R-S5")
        )
    problem = lead_time_problem(plan, today)
    if problem:
        problems.append(problem)
    problems += invigilator_problems(plan)
    if not plan.supervisors.exists():
        problems.append(Problem(_("Name at least one internal quality supervisor."), rule="R-P1"))
    if not plan.roster.exists():
        problems.append(Problem(_("Import the roster of examinees."), rule="R-P1"))
    from assessments.examiners.services import plan_examiner_problems

    problems += plan_examiner_problems(plan=plan)
    return problems


@transaction.atomic
def plan_submit(*, plan, actor, expected_version: int | None = None) -> ImplementationPlan:
    plan = locked(plan, statuses=EDITABLE_PLAN_STATUSES, expected_version=expected_version)
    today = _today()
    problems = plan_problems(plan, today)
    if problems:
        raise ServiceError(_("The plan cannot be submitted yet."), problems)
    plan.submitted_on = today
    transition(
        plan, actor=actor, to=PlanStatus.SUBMITTED, action="plan_submit", fields=["submitted_on"]
    )
    return plan


@transaction.atomic
def plan_acknowledge(*, plan, actor, note: str = "") -> ImplementationPlan:
    plan = locked(
        plan,
        statuses=[PlanStatus.SUBMITTED],
        refusal=_("Only a submitted plan can be acknowledged."),
    )
    plan.acknowledged_on = _today()
    return record_decision(
        plan,
        actor=actor,
        to=PlanStatus.ACKNOWLEDGED,
        action="plan_acknowledge",
        note=note,
        fields=["acknowledged_on"],
    )


@transaction.atomic
def plan_return(*, plan, actor, reason: str) -> ImplementationPlan:
    plan = locked(
        plan,
        statuses=[PlanStatus.SUBMITTED],
        refusal=_("Only a submitted plan can be returned."),
    )
    return record_decision(
        plan,
        actor=actor,
        to=PlanStatus.RETURNED,
        action="plan_return",
        note=reason,
        reason_required=_("Say what must be corrected."),
    )


# How the audit trail names this area's actions (registered by AssessmentsConfig.ready).
AUDIT_ACTIONS = {
    "plan_create": gettext_lazy("plan created"),
    "plan_edit": gettext_lazy("plan edited"),
    "plan_staff": gettext_lazy("examiners and supervisors chosen"),
    "session_save": gettext_lazy("session saved"),
    "session_delete": gettext_lazy("session removed"),
    "invigilator_add": gettext_lazy("invigilator named"),
    "invigilator_remove": gettext_lazy("invigilator removed"),
    "plan_submit": gettext_lazy("plan submitted to the city"),
    "plan_acknowledge": gettext_lazy("plan acknowledged"),
    "plan_return": gettext_lazy("plan returned for correction"),
}
