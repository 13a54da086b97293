"""Access-matrix rows of the plan's invigilators (seed 004 §三(一)), merged by
tests/test_access_matrix.py: the enterprise names and removes them on its own editable plan."""

import datetime as dt

from assessments.models import AssessmentSession, ImplementationPlan, SessionInvigilator

ROWS: dict = {
    "invigilator_add": ("draft_plan", {"alice"}, {"alice"}),
    "invigilator_delete": ("draft_invigilator", {"alice"}, {"alice"}),
}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    plan = ImplementationPlan.objects.filter(enterprise=enterprise, status="draft").first()
    session = AssessmentSession.objects.create(
        plan=plan, date=dt.date(2026, 11, 20), starts_at=dt.time(9), ends_at=dt.time(11), site="B"
    )
    invigilator = SessionInvigilator.objects.create(session=session, name="监考员甲")
    return {"draft_invigilator": {"pk": plan.pk, "invigilator_id": invigilator.pk}}
