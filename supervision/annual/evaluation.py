"""R-M3: the city decides the yearly evaluation of an enterprise; removal imposes the 2-year ban
in the same transaction (supervision.sanctions.services.sanction_impose), or, where the province
decides removals (seed 004 §四(四)), reports the enterprise to it
(supervision.sanctions.reports)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from filings.models import Enterprise
from portal.core.audit import audit_record
from portal.core.errors import ServiceError
from supervision.annual.scorecard import evaluable_enterprises, scorecard_for
from supervision.models import Evaluation, EvaluationOutcome, SanctionKind
from supervision.sanctions.reports import province_decides, sanction_report
from supervision.sanctions.services import sanction_impose


@transaction.atomic
def evaluation_decide(
    *, enterprise: Enterprise, year: int, outcome: str, note: str, actor, today: dt.date
) -> Evaluation:
    """Store the outcome with the scorecard as computed now; the city may differ from the
    suggestion, but then says why."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if year >= today.year:
        # R-M3
        raise ServiceError(_("Year: only a year that has ended can be evaluated."))
    if outcome not in EvaluationOutcome.values:
        raise ServiceError(_("Outcome: choose one of the outcomes offered."))
    city = enterprise.district.parent
    if not evaluable_enterprises(city=city, year=year).filter(pk=enterprise.pk).exists():
        raise ServiceError(
            # R-M3
            _("The enterprise had not been filed for a year or more at the end of %(year)s.")
            % {"year": year}
        )
    if Evaluation.objects.filter(enterprise=enterprise, year=year).exists():
        raise ServiceError(
            _("The evaluation of %(year)s for this enterprise was already decided.")
            % {"year": year}
        )
    scorecard = scorecard_for(enterprise, year)
    note = (note or "").strip()
    if outcome != scorecard["suggested"] and not note:
        raise ServiceError(
            # R-M3
            _("Note: the outcome differs from the suggested one (%(suggested)s); say why.")
            % {"suggested": EvaluationOutcome(scorecard["suggested"]).label}
        )
    sanction = None
    reason = ""
    reported = province_decides(enterprise)
    if outcome == EvaluationOutcome.REMOVE:
        # R-M3
        reason = _("Yearly evaluation of %(year)s: removed from the directory.") % {"year": year}
        if scorecard["no_assessment"]:
            reason += " " + _("No assessment organised in the year.")
        if note:
            reason += " " + note
    if reason and not reported:
        sanction = sanction_impose(
            enterprise=enterprise,
            kind=SanctionKind.REMOVED,
            reason=reason,
            actor=actor,
            today=today,
        )
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                enterprise=enterprise,
                year=year,
                scorecard=scorecard,
                score=scorecard["score"],
                outcome=outcome,
                note=note,
                decided_by=actor,
                decided_on=today,
                sanction=sanction,
            )
    except IntegrityError:
        raise ServiceError(
            _("The evaluation of %(year)s for this enterprise was already decided.")
            % {"year": year}
        ) from None
    if reason and reported:
        sanction_report(
            enterprise=enterprise,
            kind=SanctionKind.REMOVED,
            reason=reason,
            actor=actor,
            today=today,
            evaluation=evaluation,
        )
    audit_record(
        obj=evaluation,
        actor=actor,
        action="evaluation_decide",
        to_status=outcome,
        note=note,
    )
    return evaluation
