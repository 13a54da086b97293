"""Scores and results of a plan's examinees (R-S2, R-S3): writes, and the reads they need.

Scores are recorded by the plan's enterprise once the city has acknowledged the plan, until
the results go to publicity (the plan's result batch, when there is one, is a draft or was
returned). Every save stores each examinee's weighted total, result and reason from
assessments.results.scoring, and bumps the plan's version (optimistic concurrency).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.models import (
    BatchStatus,
    ExamineeResult,
    ExamineeScore,
    ImplementationPlan,
    PlanStatus,
    ResultBatch,
    RosterEntry,
)
from assessments.results.scoring import (
    EVIDENCE_MAX_LENGTH,
    Component,
    ScoreInput,
    allows_direct_recognition,
    components_of,
    examinee_result,
)
from assessments.scores.spreadsheets import (
    ParsedScores,
    Person,
    ScoreLayout,
    WorkbookInfo,
    index_roster,
    read_scores,
)
from portal.core.audit import audit_events_for, audit_record
from portal.core.errors import InvalidTransition, ServiceError, StaleEdit
from portal.core.workflow import bump, locked

SCORING_BATCH_STATUSES = [BatchStatus.DRAFT, BatchStatus.RETURNED]
RESULT_FIELDS = [
    "safety_violation",
    "direct_recognition",
    "direct_recognition_evidence",
    "total_score",
    "result",
    "result_reason",
]
NAMES_IN_NOTE = 10
SCORE_ACTIONS = ["scores_save", "scores_import"]
EVENTS_SHOWN = 20


@dataclass(frozen=True)
class ScoreSheet:
    """What the pages of a plan's scores need: the scheme's columns and whether they are open."""

    layout: ScoreLayout
    refusal: str  # why scores cannot be changed now; "" when they can

    @property
    def components(self) -> tuple[Component, ...]:
        return self.layout.components

    @property
    def direct_allowed(self) -> bool:
        return self.layout.direct_allowed

    @property
    def editable(self) -> bool:
        return not self.refusal


def _batch_status(plan: ImplementationPlan, *, lock: bool = False) -> str | None:
    batches = ResultBatch.objects.filter(plan_id=plan.pk)
    if lock:
        # Publicity locks the batch: it waits for this save, or this save sees it published.
        batches = batches.select_for_update()
    return batches.values_list("status", flat=True).first()


def scoring_refusal(plan: ImplementationPlan, *, lock: bool = False) -> str:
    """Why scores of `plan` cannot be changed now, in the user's words; "" when they can."""
    if plan.status != PlanStatus.ACKNOWLEDGED:
        return _("Scores can be recorded only once the city has acknowledged the plan.")
    status = _batch_status(plan, lock=lock)
    if status is not None and status not in SCORING_BATCH_STATUSES:
        return _(
            "The results are “%(status)s”; scores can be changed only while the results are "
            "being prepared or after they were returned for correction."
        ) % {"status": BatchStatus(status).label}
    return ""


def layout_for(plan: ImplementationPlan) -> ScoreLayout:
    scheme = plan.scheme
    return ScoreLayout(
        components=components_of(scheme.components.all()),
        direct_allowed=allows_direct_recognition(scheme.methods),
    )


def score_sheet_for(plan: ImplementationPlan) -> ScoreSheet:
    return ScoreSheet(layout=layout_for(plan), refusal=scoring_refusal(plan))


def result_counts(plan: ImplementationPlan) -> dict[str, int]:
    counts = dict.fromkeys(ExamineeResult.values, 0)
    rows = plan.roster.order_by().values_list("result").annotate(n=Count("id"))
    counts.update({result: n for result, n in rows})
    return counts


def score_events(plan: ImplementationPlan):
    """The plan's history of scores: who recorded or imported what, and when."""
    return audit_events_for(plan).filter(action__in=SCORE_ACTIONS).order_by("-at")[:EVENTS_SHOWN]


# Writes ------------------------------------------------------------------------------------


def _check_inputs(rows: list[ScoreInput], layout: ScoreLayout) -> None:
    """The rules the forms and the file reader already check, guarded here for every caller."""
    kinds = {c.kind for c in layout.components}
    for row in rows:
        if set(row.scores) != kinds:
            raise ServiceError(_("Every component of the evaluation scheme needs its column."))
        for value in row.scores.values():
            if value is not None and not 0 <= value <= 100:
                raise ServiceError(_("A score lies between 0 and 100."))
        if row.direct_recognition and not layout.direct_allowed:
            raise ServiceError(
                # R-S2
                _("The plan's evaluation scheme does not provide for direct recognition.")
            )
        if row.direct_recognition and not row.evidence.strip():
            # R-S2
            raise ServiceError(_("Direct recognition needs its evidence."))
        if len(row.evidence) > EVIDENCE_MAX_LENGTH:
            raise ServiceError(
                _("The evidence for direct recognition has at most %(limit)s characters.")
                % {"limit": EVIDENCE_MAX_LENGTH}
            )


def _apply(
    *, plan: ImplementationPlan, layout: ScoreLayout, rows: list[ScoreInput]
) -> list[RosterEntry]:
    """Write the scores and flags of `rows`, store each result; the entries that changed."""
    ids = [row.entry_id for row in rows]
    entries = {
        entry.pk: entry
        for entry in RosterEntry.objects.filter(plan_id=plan.pk, pk__in=ids).prefetch_related(
            "scores"
        )
    }
    if len(entries) != len(set(ids)) or len(ids) != len(set(ids)):
        raise ServiceError(
            _("The roster of the plan has changed meanwhile; reload the page and try again.")
        )
    now = timezone.now()
    create, update, delete, changed = [], [], [], []
    for row in rows:
        entry = entries[row.entry_id]
        stored = {score.component: score for score in entry.scores.all()}
        scores_changed = False
        for component in layout.components:
            new, old = row.scores.get(component.kind), stored.get(component.kind)
            if new is None and old is not None:
                delete.append(old.pk)
            elif new is not None and old is None:
                create.append(ExamineeScore(entry=entry, component=component.kind, score=new))
            elif new is not None and old.score != new:
                old.score, old.updated_at = new, now
                update.append(old)
            else:
                continue
            scores_changed = True
        evidence = row.evidence.strip() if row.direct_recognition else ""
        outcome = examinee_result(
            components=layout.components,
            scores=row.scores,
            safety_violation=row.safety_violation,
            direct_recognition=row.direct_recognition,
            evidence=evidence,
            direct_recognition_allowed=layout.direct_allowed,
        )
        values = {
            "safety_violation": row.safety_violation,
            "direct_recognition": row.direct_recognition,
            "direct_recognition_evidence": evidence,
            "total_score": outcome.total,
            "result": outcome.result,
            "result_reason": outcome.reason,
        }
        if scores_changed or any(getattr(entry, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(entry, key, value)
            changed.append(entry)
    if delete:
        ExamineeScore.objects.filter(pk__in=delete).delete()
    if create:
        ExamineeScore.objects.bulk_create(create)
    if update:
        ExamineeScore.objects.bulk_update(update, ["score", "updated_at"])
    if changed:
        RosterEntry.objects.bulk_update(changed, RESULT_FIELDS)
    return changed


def _note(changed: list[RosterEntry]) -> str:
    names = "、".join(entry.name for entry in changed[:NAMES_IN_NOTE])
    if len(changed) > NAMES_IN_NOTE:
        names += "……"
    return _("%(count)s examinees: %(names)s") % {"count": len(changed), "names": names}


def _save(
    *,
    plan: ImplementationPlan,
    actor,
    rows: list[ScoreInput],
    expected_version: int | None,
    action: str,
) -> list[RosterEntry]:
    plan = locked(plan)
    refusal = scoring_refusal(plan, lock=True)
    if refusal:
        raise InvalidTransition(refusal)
    if expected_version is not None and plan.version != expected_version:
        raise StaleEdit()
    layout = layout_for(plan)
    _check_inputs(rows, layout)
    changed = _apply(plan=plan, layout=layout, rows=rows)
    bump(plan)
    if changed:
        audit_record(obj=plan, actor=actor, action=action, note=_note(changed))
    return changed


@transaction.atomic
def scores_save(
    *, plan: ImplementationPlan, actor, rows: list[ScoreInput], expected_version: int | None
) -> list[RosterEntry]:
    """The grid's rows (R-S2, R-S3): scores, safety violations, direct recognition; results."""
    return _save(
        plan=plan, actor=actor, rows=rows, expected_version=expected_version, action="scores_save"
    )


def roster_index(plan: ImplementationPlan) -> dict[str, Person]:
    """The examinees of the plan by 证件号 (full, or masked with the name), for the reader."""
    return index_roster(
        (id_number, Person(entry_id=pk, seq=seq, name=name))
        for pk, seq, name, id_number in plan.roster.values_list("pk", "seq", "name", "id_number")
    )


def scores_check(
    *, plan: ImplementationPlan, data: bytes, info: WorkbookInfo | None = None
) -> ParsedScores:
    """Every problem of the file at once; raises ScoreFileError if it cannot be read."""
    return read_scores(data, layout=layout_for(plan), roster=roster_index(plan), info=info)


def scores_import(
    *, plan: ImplementationPlan, actor, data: bytes, info: WorkbookInfo | None = None
) -> list[RosterEntry]:
    """The score sheet (R-S2, R-S3): nothing is written unless every row is clean."""
    refusal = scoring_refusal(plan)
    if refusal:
        raise InvalidTransition(refusal)
    parsed = scores_check(plan=plan, data=data, info=info)  # outside the lock: it may take a while
    if not parsed.ok:
        raise ServiceError(
            _(
                "Nothing was imported: the file has %(count)s problems. Correct them all and "
                "upload it again."
            )
            % {"count": len(parsed.problems)},
            parsed.problems,
        )
    with transaction.atomic():
        return _save(
            plan=plan, actor=actor, rows=parsed.rows, expected_version=None, action="scores_import"
        )


# How the audit trail names this area's actions (registered by AssessmentsConfig.ready).
AUDIT_ACTIONS = {
    "scores_save": gettext_lazy("scores recorded"),
    "scores_import": gettext_lazy("scores imported from Excel"),
}
