"""The bureaus' side of a filing (R-F5 … R-F7): the district's pre-review, the experts, the
reviewing bureau's decision (proposed by one officer and confirmed by another where the policy
says so, seed 002 §四, §六(三)), the deadlines and the receipt.
"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.clock import due_on_after, review_policy, start_review
from filings.eligibility import ban_problems, policy_for
from filings.models import (
    ExpertAssignment,
    Filing,
    FilingStatus,
    Recommendation,
)
from portal.core import checklists
from portal.core.counters import next_value
from portal.core.decisions import record_decision
from portal.core.dispatch import enqueue_on_commit
from portal.core.errors import FieldProblem, FieldsInvalid, InvalidTransition, ServiceError
from portal.core.expert_review import end_delegations, experts_assign, opinion_record
from portal.core.policy import policies_by_bureau
from portal.core.workflow import locked, transition

REVIEW_STATUSES = frozenset(
    {FilingStatus.DISTRICT_REVIEW, FilingStatus.CITY_REVIEW, FilingStatus.EXPERT_REVIEW}
)
PROPOSAL_FIELDS = ["proposed_decision", "proposal_note", "proposed_by", "proposed_on"]


def _today() -> dt.date:
    return timezone.localdate()


def _locked(filing: Filing, statuses=None) -> Filing:
    return locked(filing, statuses=statuses, related=["enterprise__district"])


@transaction.atomic
def filing_district_forward(*, filing: Filing, actor, opinion: str) -> Filing:
    filing = _locked(filing, statuses=[FilingStatus.DISTRICT_REVIEW])
    if not opinion.strip():
        raise ServiceError(_("The pre-review opinion is required."))
    filing.district_opinion = opinion
    fields = ["district_opinion", *start_review(filing, _today(), review_policy(filing))]
    transition(
        filing,
        actor=actor,
        to=FilingStatus.CITY_REVIEW,
        action="district_forward",
        note=opinion,
        fields=fields,
    )
    return filing


@transaction.atomic
def filing_assign_experts(*, filing: Filing, actor, experts: list) -> Filing:
    """R-F6: the experts newly assigned keep the checklist in force at the reviewing bureau now
    (seed 002 §六(二)), so a later policy change does not rewrite what they score."""
    before = set(filing.expert_assignments.values_list("pk", flat=True))
    filing = experts_assign(
        subject=filing,
        actor=actor,
        experts=experts,
        assignments="expert_assignments",
        perm="filings.evaluate_filing",
        waiting=FilingStatus.CITY_REVIEW,
        reviewing=FilingStatus.EXPERT_REVIEW,
        action="assign_experts",
        none_chosen=_("Choose at least one expert."),
        lock=_locked,
    )
    checklist = review_policy(filing).expert_checklist
    if checklists.has_items(checklist):
        filing.expert_assignments.exclude(pk__in=before).update(checklist=checklist)
    return filing


def _checklist_values(
    assignment: ExpertAssignment, *, item_scores, recommendation: str, reason: str
) -> tuple[dict, str]:
    """The opinion's fields for a checklist: each item's score and note, the total as the
    score; below the pass mark an approval needs its reason. Answers the audit's detail too."""
    checklist = assignment.checklist
    scores = list(item_scores or [])
    if len(scores) != len(checklist["items"]):
        raise ServiceError(_("Score every item of the checklist."))
    problems = checklists.check_scores(checklist, scores)
    if problems:
        raise FieldsInvalid({f"item_{index}_score": problem for index, problem in problems.items()})
    evaluated = checklists.scored(checklist, scores)
    total, pass_mark = evaluated["total"], evaluated["pass_mark"]
    reason = reason.strip()
    if total < pass_mark and recommendation == Recommendation.APPROVE and not reason:
        raise FieldProblem(
            "below_pass_reason",
            _(
                "The total of %(total)s is below the pass mark of %(pass_mark)s: say why you "
                "recommend approval, or recommend otherwise."
            )
            % {"total": total, "pass_mark": pass_mark},
        )
    if total >= pass_mark:
        reason = ""
    items = "；".join(
        f"{item['name']} {item['score']}/{item['weight']}" for item in evaluated["items"]
    )
    detail = _("%(items)s; total %(total)s, pass mark %(pass_mark)s") % {
        "items": items,
        "total": total,
        "pass_mark": pass_mark,
    }
    if reason:
        detail += "; " + _("below the pass mark because: %(reason)s") % {"reason": reason}
    return {"checklist": evaluated, "score": total, "below_pass_reason": reason}, detail


def filing_expert_opinion(
    *,
    assignment: ExpertAssignment,
    actor,
    visited_on,
    recommendation: str,
    opinion: str,
    score: int | None = None,
    item_scores: list[dict] | None = None,
    below_pass_reason: str = "",
    expected_version: int | None = None,
) -> ExpertAssignment:
    """R-F6: the assigned expert's opinion. Under a checklist (seed 002 §六(二)) the expert
    scores each item and the total is the score; otherwise a single score. `expected_version`
    is the filing's version the form was opened on."""
    if visited_on and visited_on > timezone.localdate():
        raise FieldProblem(
            "visited_on",
            _("The on-site evaluation date cannot be after today: enter the day of the visit."),
        )
    values = {"visited_on": visited_on, "recommendation": recommendation, "opinion": opinion}
    detail = ""
    if assignment.checklist and checklists.has_items(assignment.checklist):
        more, detail = _checklist_values(
            assignment,
            item_scores=item_scores,
            recommendation=recommendation,
            reason=below_pass_reason,
        )
        values.update(more)
    else:
        if score is None:
            raise FieldProblem("score", _("Enter the score."))
        values["score"] = score

    def lock(subject, statuses):
        return locked(
            subject,
            statuses=statuses,
            expected_version=expected_version,
            related=["enterprise__district"],
        )

    return opinion_record(
        subject=assignment.filing,
        row=assignment,
        actor=actor,
        reviewing=FilingStatus.EXPERT_REVIEW,
        values=values,
        action="expert_opinion",
        lock=lock,
        detail=detail,
    )


def _require_decidable(filing: Filing) -> None:
    """R-F6: the decision follows the expert on-site evaluation unless the enterprise skips it."""
    if filing.status == FilingStatus.CITY_REVIEW and filing.skip_onsite:
        return
    if filing.status == FilingStatus.EXPERT_REVIEW:
        if filing.expert_assignments.filter(submitted_at__isnull=True).exists():
            raise ServiceError(_("Wait until every assigned expert has given an opinion."))
        return
    raise InvalidTransition(
        _("The filing can be decided only after the expert on-site evaluation.")
    )


def _approve(filing: Filing, *, actor, note: str, action: str) -> Filing:
    """R-F7: approval numbers the filing with the reviewing bureau's code, opens the directory
    entry for its validity years, makes a receipt."""
    today = _today()
    # R-M2, R-M3: a sanction decided while the application was under review bars its approval.
    banned = ban_problems(filing.enterprise, today)
    if banned:
        raise ServiceError(_("The filing cannot be approved."), problems=banned)
    policy = review_policy(filing)
    bureau = filing.reviewing_bureau or filing.enterprise.routed_bureau
    serial = next_value(f"filing-number:{bureau.code}:{today.year}")
    filing.number = f"{bureau.code}{today.year}{serial:04d}"
    filing.approved_on = today
    filing.valid_until = today + relativedelta(years=policy.filing_validity_years, days=-1)
    record_decision(
        filing,
        actor=actor,
        to=FilingStatus.APPROVED,
        action=action,
        note=note,
        fields=["number", "approved_on", "valid_until"],
    )
    from filings.review.tasks import render_filing_receipt

    enqueue_on_commit(render_filing_receipt, filing.pk)
    return filing


def _propose(filing: Filing, *, actor, decision: str, note: str) -> Filing:
    """Seed 002 §四, §六(三): the centre's decision becomes a proposal a second officer of the
    reviewing bureau confirms; the review clock keeps running meanwhile."""
    filing.proposed_decision = decision
    filing.proposal_note = note
    filing.proposed_by = actor
    filing.proposed_on = _today()
    transition(
        filing,
        actor=actor,
        to=FilingStatus.CONFIRMATION,
        action=f"propose_{decision}",
        note=note,
        fields=PROPOSAL_FIELDS,
    )
    return filing


@transaction.atomic
def filing_approve(*, filing: Filing, actor, note: str = "") -> Filing:
    """R-F7: approved, or proposed for approval where a second officer confirms."""
    filing = _locked(filing)
    _require_decidable(filing)
    if review_policy(filing).filing_confirmation:
        banned = ban_problems(filing.enterprise, _today())
        if banned:
            raise ServiceError(_("The filing cannot be approved."), problems=banned)
        return _propose(filing, actor=actor, decision=Recommendation.APPROVE, note=note)
    return _approve(filing, actor=actor, note=note, action="approve")


def _require_second_officer(filing: Filing, actor) -> None:
    if filing.proposed_by_id == actor.pk:
        raise ServiceError(
            _(
                "You proposed this decision yourself: another officer of the bureau must "
                "confirm it or send it back."
            )
        )


@transaction.atomic
def filing_confirm(*, filing: Filing, actor) -> Filing:
    """Seed 002 §六(三): a second officer confirms the proposed decision, which then takes effect
    as if decided directly (an approval is numbered, published and gets its receipt)."""
    filing = _locked(filing, statuses=[FilingStatus.CONFIRMATION])
    _require_second_officer(filing, actor)
    note = filing.proposal_note
    if filing.proposed_decision == Recommendation.APPROVE:
        return _approve(filing, actor=actor, note=note, action="confirm_approve")
    return record_decision(
        filing, actor=actor, to=FilingStatus.REJECTED, action="confirm_reject", note=note
    )


@transaction.atomic
def filing_send_back(*, filing: Filing, actor, reason: str) -> Filing:
    """Seed 002 §六(三): the second officer does not confirm: the filing goes back to review
    (to the experts' opinions it had, if any) with the reason; the review clock runs on."""
    filing = _locked(filing, statuses=[FilingStatus.CONFIRMATION])
    _require_second_officer(filing, actor)
    if not reason.strip():
        raise ServiceError(_("Say why the proposed decision is sent back."))
    back = (
        FilingStatus.EXPERT_REVIEW
        if filing.expert_assignments.exists()
        else FilingStatus.CITY_REVIEW
    )
    filing.proposed_decision = ""
    filing.proposal_note = ""
    filing.proposed_by = None
    filing.proposed_on = None
    transition(
        filing, actor=actor, to=back, action="send_back", note=reason, fields=PROPOSAL_FIELDS
    )
    return filing


@transaction.atomic
def filing_return(*, filing: Filing, actor, reason: str) -> Filing:
    """R-F7: returned for correction, with a deadline in working days."""
    filing = _locked(
        filing,
        statuses=[
            FilingStatus.DISTRICT_REVIEW,
            FilingStatus.CITY_REVIEW,
            FilingStatus.EXPERT_REVIEW,
        ],
    )
    if not reason.strip():
        raise ServiceError(_("Say what must be corrected."))
    policy = policy_for(filing.enterprise)
    filing.returned_on = _today()
    filing.correction_deadline = due_on_after(filing.returned_on, policy.correction_working_days)
    filing.received_on = None
    filing.due_on = None
    # The experts judged the version being returned; the corrected one is evaluated afresh.
    end_delegations(
        obj=filing, assignments=filing.expert_assignments, perm="filings.evaluate_filing"
    )
    return record_decision(
        filing,
        actor=actor,
        to=FilingStatus.RETURNED,
        action="return",
        note=reason,
        fields=["returned_on", "correction_deadline", "received_on", "due_on"],
    )


def filing_deadlines_recount() -> int:
    """Count stored deadlines again after the working-day calendar changed (R-F6, R-F7)."""
    changed = 0
    open_filings = Filing.objects.filter(
        Q(
            status__in=[
                FilingStatus.CITY_REVIEW,
                FilingStatus.EXPERT_REVIEW,
                FilingStatus.CONFIRMATION,
            ],
            received_on__isnull=False,
        )
        | Q(status=FilingStatus.RETURNED, returned_on__isnull=False)
    ).select_related("enterprise__district", "reviewing_bureau")
    with transaction.atomic():
        filings = list(open_filings.select_for_update(of=("self",)))
        # Each policy in force is read once per bureau, not once per filing.
        reviewers = {f.pk: f.reviewing_bureau or f.enterprise.routed_bureau for f in filings}
        policies = policies_by_bureau(
            {f.enterprise.district for f in filings} | set(reviewers.values())
        )
        for filing in filings:
            if filing.status == FilingStatus.RETURNED:
                field = "correction_deadline"
                days = policies[filing.enterprise.district_id].correction_working_days
                value = due_on_after(filing.returned_on, days)
            else:
                field = "due_on"
                days = policies[reviewers[filing.pk].pk].review_working_days
                value = due_on_after(filing.received_on, days)
            if getattr(filing, field) != value:
                setattr(filing, field, value)
                filing.save(update_fields=[field])
                changed += 1
    return changed


@transaction.atomic
def filing_reject(*, filing: Filing, actor, reason: str) -> Filing:
    """R-F7: rejected, or proposed for rejection where a second officer confirms."""
    filing = _locked(filing)
    _require_decidable(filing)
    if not reason.strip():
        raise ServiceError(_("Give the reason for the rejection."))
    if review_policy(filing).filing_confirmation:
        return _propose(filing, actor=actor, decision=Recommendation.REJECT, note=reason)
    return record_decision(
        filing,
        actor=actor,
        to=FilingStatus.REJECTED,
        action="reject",
        note=reason,
        reason_required=_("Give the reason for the rejection."),
    )


def filing_store_receipt(*, filing_id: int, pdf: bytes) -> None:
    """Called by the receipt task; idempotent: a second run replaces nothing already stored."""
    from django.core.files.base import ContentFile

    with transaction.atomic():
        filing = Filing.objects.select_for_update().get(pk=filing_id)
        if filing.receipt_pdf:
            return
        filing.receipt_pdf.save(f"{filing.number}.pdf", ContentFile(pdf), save=False)
        filing.save(update_fields=["receipt_pdf"])
