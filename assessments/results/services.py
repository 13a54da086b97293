"""Publicity and result filing (R-R1, R-R2): a plan's result batch and its objections.

draft → publicised (the enterprise publishes its results internally for 5 working days after
the day of publication; objections are recorded and each one resolved) → submitted (from the day
after the publicity, due within 15 working days after it; late filing is accepted and flagged)
→ approved by the city, or returned → corrected and submitted again. Where the policy has the
province review results after the city (Shandong, seed 004 §三(三)), the city's approval moves
the batch to province_review, and the provincial centre approves it or returns it.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    BatchStatus,
    ExamineeResult,
    ImplementationPlan,
    Objection,
    PlanStatus,
    ResultBatch,
    RosterEntry,
)
from assessments.results.clock import RUNNING, missing_calendar_message
from filings.eligibility import policy_for
from portal.core import workdays
from portal.core.audit import audit_record
from portal.core.decisions import record_decision
from portal.core.errors import InvalidTransition, Problem, ServiceError, StaleEdit
from portal.core.workflow import bump, locked, require_status, transition

# Scores and results may change only before publicity and after the city returned the batch.
EDITABLE_BATCH_STATUSES = [BatchStatus.DRAFT, BatchStatus.RETURNED]
NAMES_SHOWN = 5


def _today() -> dt.date:
    return timezone.localdate()


def _d(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


def _lock(batch: ResultBatch, statuses, expected_version: int | None = None) -> ResultBatch:
    batch = locked(batch)
    # The batch's own wording: the generic one would call it 认定结果批次, the pages say 认定结果.
    refusal = _("This action is not possible while the results are “%(status)s”.") % {
        "status": batch.get_status_display()
    }
    require_status(batch, statuses, refusal=refusal)
    if expected_version is not None and batch.version != expected_version:
        raise StaleEdit()
    return batch


def results_editable(plan: ImplementationPlan) -> bool:
    """Whether the plan's scores and results may change now (R-R1, R-R2): before publicity,
    and after the city returned the batch for correction."""
    status = ResultBatch.objects.filter(plan=plan).values_list("status", flat=True).first()
    return status is None or status in EDITABLE_BATCH_STATUSES


def publicity_dates(published_on: dt.date, policy) -> tuple[dt.date | None, dt.date | None]:
    """R-R1: publicity covers the N working days after the day of publication; the filing is
    due M working days after the publicity ends. None where the calendar is missing."""
    try:
        ends_on = workdays.add_working_days(published_on, policy.publicity_working_days)
    except workdays.CalendarMissing:
        return None, None
    try:
        due_on = workdays.add_working_days(ends_on, policy.result_filing_working_days)
    except workdays.CalendarMissing:
        return ends_on, None
    return ends_on, due_on


def _names(names: list[str], count: int) -> str:
    return "、".join(names[:NAMES_SHOWN]) + ("…" if count > NAMES_SHOWN else "")


def _pending_problem(plan: ImplementationPlan) -> Problem | None:
    pending = list(
        plan.roster.filter(result=ExamineeResult.PENDING).values_list("name", flat=True)[
            : NAMES_SHOWN + 1
        ]
    )
    if not pending:
        return None
    count = plan.roster.filter(result=ExamineeResult.PENDING).count()
    names = _names(pending, count)
    return Problem(
        _(
            "%(count)s examinees have no result yet (%(names)s): every result must be decided "
            "before the results are publicised or filed."
        )
        % {"count": count, "names": names},
        rule="R-R1",
    )


def publish_problems(plan: ImplementationPlan) -> list[Problem]:
    """What stands between the plan's results and their publicity (R-R1)."""
    problems = []
    if plan.status != PlanStatus.ACKNOWLEDGED:
        problems.append(
            Problem(
                _("Only the results of a plan the city acknowledged are publicised."), rule="R-P2"
            )
        )
    if not plan.roster.exists():
        problems.append(Problem(_("The plan has no examinee: import the roster."), rule="R-P5"))
    else:
        pending = _pending_problem(plan)
        if pending:
            problems.append(pending)
    return problems


def _open_objections_problem(batch: ResultBatch) -> Problem | None:
    open_objections = batch.objections.filter(resolved_on__isnull=True)
    raised_by = list(open_objections.values_list("raised_by", flat=True)[: NAMES_SHOWN + 1])
    if not raised_by:
        return None
    count = open_objections.count()
    return Problem(
        _(
            "%(count)s objections are not resolved yet (raised by %(names)s): record the "
            "resolution of each one before filing the results."
        )
        % {
            "count": count,
            "names": _names(raised_by, count),
        },
        rule="R-R1",
    )


def submission_problems(batch: ResultBatch, today: dt.date) -> list[Problem]:
    """What stands between the batch and its filing with the city (R-R1)."""
    problems = []
    if batch.status == BatchStatus.PUBLICISED:
        if batch.publicity_ends_on is None:
            problems.append(Problem(missing_calendar_message(batch.published_on), rule="R-R1"))
        elif today <= batch.publicity_ends_on:
            opens_on = batch.publicity_ends_on + dt.timedelta(days=1)
            problems.append(
                Problem(
                    _(
                        "The publicity runs until %(ends)s: result filing opens on %(opens)s, "
                        "the day after the publicity ends."
                    )
                    % {"ends": _d(batch.publicity_ends_on), "opens": _d(opens_on)},
                    rule="R-R1",
                )
            )
    objections = _open_objections_problem(batch)
    if objections:
        problems.append(objections)
    pending = _pending_problem(batch.plan)
    if pending:
        problems.append(pending)
    return problems


# Writes --------------------------------------------------------------------------------------


def _count_dates(batch: ResultBatch) -> list[str]:
    """Count dates that were missing when the calendar lacked a year; the fields that changed."""
    if batch.published_on is None:
        return []
    ends_on, due_on = publicity_dates(batch.published_on, policy_for(batch.plan.enterprise))
    changed = []
    if batch.publicity_ends_on != ends_on:
        batch.publicity_ends_on = ends_on
        changed.append("publicity_ends_on")
    if batch.filing_due_on != due_on:
        batch.filing_due_on = due_on
        changed.append("filing_due_on")
    return changed


@transaction.atomic
def result_publish(
    *, plan: ImplementationPlan, actor, expected_version: int | None = None
) -> ResultBatch:
    """R-R1: publicise the results inside the enterprise; the batch is created on first use."""
    plan = locked(
        plan,
        statuses=[PlanStatus.ACKNOWLEDGED],
        refusal=_("Only the results of a plan the city acknowledged are publicised."),
    )
    batch, created = ResultBatch.objects.get_or_create(plan=plan)
    batch = _lock(batch, [BatchStatus.DRAFT], None if created else expected_version)
    problems = publish_problems(plan)
    if problems:
        raise ServiceError(_("The results cannot be publicised yet."), problems)
    today = _today()
    batch.published_on = today
    batch.publicity_ends_on, batch.filing_due_on = publicity_dates(
        today, policy_for(plan.enterprise)
    )
    passed = plan.roster.filter(result=ExamineeResult.PASSED).count()
    failed = plan.roster.filter(result=ExamineeResult.FAILED).count()
    counts = {"passed": passed, "failed": failed}
    if batch.publicity_ends_on:
        counts["date"] = _d(batch.publicity_ends_on)
        note = _("%(passed)s passed, %(failed)s failed; publicity until %(date)s.") % counts
    else:
        note = _("%(passed)s passed, %(failed)s failed.") % counts
    transition(
        batch,
        actor=actor,
        to=BatchStatus.PUBLICISED,
        action="result_publish",
        note=note,
        fields=["published_on", "publicity_ends_on", "filing_due_on"],
    )
    return batch


@transaction.atomic
def objection_record(
    *, batch: ResultBatch, actor, raised_by: str, content: str, entry: RosterEntry | None = None
) -> Objection:
    """R-R1: an objection raised during the publicity, as the enterprise received it."""
    batch = _lock(batch, [BatchStatus.PUBLICISED])
    today = _today()
    if batch.publicity_ends_on is not None and today > batch.publicity_ends_on:
        raise ServiceError(
            _("The publicity ended on %(date)s: objections are recorded during the publicity only.")
            % {"date": _d(batch.publicity_ends_on)}
        )
    if entry is not None and entry.plan_id != batch.plan_id:
        raise ServiceError(_("The examinee is not on the roster of this plan."))
    if not raised_by.strip() or not content.strip():
        raise ServiceError(_("Say who raised the objection and what it is about."))
    objection = Objection.objects.create(
        batch=batch, entry=entry, raised_on=today, raised_by=raised_by, content=content
    )
    bump(batch)
    audit_record(obj=batch, actor=actor, action="objection_record", note=f"{raised_by}：{content}")
    return objection


@transaction.atomic
def objection_resolve(*, objection: Objection, actor, resolution: str) -> Objection:
    """R-R1: every objection is resolved, with its resolution on record, before filing."""
    batch = _lock(objection.batch, [BatchStatus.PUBLICISED])
    objection = Objection.objects.select_for_update().get(pk=objection.pk, batch=batch)
    if objection.resolved_on is not None:
        raise InvalidTransition(
            _("This objection was resolved on %(date)s.") % {"date": _d(objection.resolved_on)}
        )
    if not resolution.strip():
        raise ServiceError(_("Write the resolution of the objection."))
    objection.resolution = resolution
    objection.resolved_on = _today()
    objection.resolved_by = actor
    objection.save(update_fields=["resolution", "resolved_on", "resolved_by"])
    bump(batch)
    audit_record(
        obj=batch,
        actor=actor,
        action="objection_resolve",
        note=f"{objection.raised_by}：{resolution}",
    )
    return objection


@transaction.atomic
def result_submit(*, batch: ResultBatch, actor, expected_version: int | None = None) -> ResultBatch:
    """R-R1: filed with the city after the publicity, every objection resolved. A filing after
    the due date is accepted and recorded as late."""
    batch = _lock(batch, [BatchStatus.PUBLICISED, BatchStatus.RETURNED], expected_version)
    # Dates missing for want of a calendar year are counted now if the year has been entered.
    counted = _count_dates(batch) if batch.filing_due_on is None else []
    today = _today()
    problems = submission_problems(batch, today)
    if problems:
        raise ServiceError(_("The results cannot be filed yet."), problems)
    batch.submitted_on = today
    note = ""
    if batch.filing_due_on is not None and today > batch.filing_due_on:
        # R-R1
        note = _("Filed late: the result filing was due on %(date)s.") % {
            "date": _d(batch.filing_due_on)
        }
    transition(
        batch,
        actor=actor,
        to=BatchStatus.SUBMITTED,
        action="result_submit",
        note=note,
        fields=["submitted_on", *counted],
    )
    return batch


def province_review_due(approved_on: dt.date, policy) -> dt.date | None:
    """Seed 004 §三(三): the province's review is due the policy's review working days after
    the city's approval; None where the calendar is missing."""
    try:
        return workdays.add_working_days(approved_on, policy.review_working_days)
    except workdays.CalendarMissing:
        return None


@transaction.atomic
def result_approve(*, batch: ResultBatch, actor, note: str = "") -> ResultBatch:
    """R-R2: a batch that followed the standard and the plan is approved for filing. Where the
    policy has the province review results after the city (seed 004 §三(三)), the city's
    approval sends the batch to the province instead."""
    batch = _lock(batch, [BatchStatus.SUBMITTED])
    today = _today()
    policy = policy_for(batch.plan.enterprise)
    if policy.results_province_review:
        batch.city_approved_on = today
        batch.province_due_on = province_review_due(today, policy)
        return record_decision(
            batch,
            actor=actor,
            to=BatchStatus.PROVINCE_REVIEW,
            action="result_city_approve",
            note=note,
            fields=["city_approved_on", "province_due_on"],
        )
    batch.approved_on = today
    return record_decision(
        batch,
        actor=actor,
        to=BatchStatus.APPROVED,
        action="result_approve",
        note=note,
        fields=["approved_on"],
    )


@transaction.atomic
def result_return(*, batch: ResultBatch, actor, reason: str) -> ResultBatch:
    """R-R2: returned for correction; the enterprise corrects the results and files again."""
    batch = _lock(batch, [BatchStatus.SUBMITTED])
    return record_decision(
        batch,
        actor=actor,
        to=BatchStatus.RETURNED,
        action="result_return",
        note=reason,
        reason_required=_("Say what must be corrected."),
    )


@transaction.atomic
def result_province_approve(*, batch: ResultBatch, actor, note: str = "") -> ResultBatch:
    """Seed 004 §三(三): after the city, the provincial centre approves; certificates may then
    be issued."""
    batch = _lock(batch, [BatchStatus.PROVINCE_REVIEW])
    batch.approved_on = _today()
    return record_decision(
        batch,
        actor=actor,
        to=BatchStatus.APPROVED,
        action="result_province_approve",
        note=note,
        fields=["approved_on"],
    )


@transaction.atomic
def result_province_return(*, batch: ResultBatch, actor, reason: str) -> ResultBatch:
    """Seed 004 §三(三): the provincial centre returns the results to the enterprise for
    correction; corrected, they go to the city again."""
    batch = _lock(batch, [BatchStatus.PROVINCE_REVIEW])
    return record_decision(
        batch,
        actor=actor,
        to=BatchStatus.RETURNED,
        action="result_province_return",
        note=reason,
        reason_required=_("Say what must be corrected."),
    )


def result_deadlines_recount() -> int:
    """Count the publicity and filing dates of running batches again after the working-day
    calendar changed (R-R1); connect it to portal.core.signals.calendar_changed."""
    changed = 0
    running = ResultBatch.objects.filter(status__in=RUNNING, published_on__isnull=False)
    with transaction.atomic():
        for batch in running.select_for_update(of=("self",)).select_related(
            "plan__enterprise__district"
        ):
            fields = _count_dates(batch)
            if fields:
                batch.save(update_fields=fields)
                changed += 1
        waiting = ResultBatch.objects.filter(
            status=BatchStatus.PROVINCE_REVIEW, city_approved_on__isnull=False
        )
        for batch in waiting.select_for_update(of=("self",)).select_related(
            "plan__enterprise__district"
        ):
            due_on = province_review_due(batch.city_approved_on, policy_for(batch.plan.enterprise))
            if due_on != batch.province_due_on:
                batch.province_due_on = due_on
                batch.save(update_fields=["province_due_on"])
                changed += 1
    return changed


# How the audit trail names this area's actions (registered by AssessmentsConfig.ready).
AUDIT_ACTIONS = {
    "result_publish": gettext_lazy("results publicised"),
    "objection_record": gettext_lazy("objection recorded"),
    "objection_resolve": gettext_lazy("objection resolved"),
    "result_submit": gettext_lazy("results submitted for filing"),
    "result_approve": gettext_lazy("result filing approved"),
    "result_return": gettext_lazy("results returned for correction"),
    "result_city_approve": gettext_lazy("approved by the city, sent to the provincial review"),
    "result_province_approve": gettext_lazy("result filing approved by the province"),
    "result_province_return": gettext_lazy("results returned for correction by the province"),
}
