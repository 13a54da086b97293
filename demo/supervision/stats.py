"""Demo data of the supervision area 'stats' (called by supervision/demo.py in order).

The demo's plans are honest: a few examinees fail and no two score sheets are alike, so the
dashboard would show no anomaly. This adds one more plan of enterprise 2 (数控车工), built the
way assessments.demo builds its plans, whose 12 examinees all passed and four of whom have the
very same scores; its results wait for the city's decision, so the city sees two flags (100 %
pass rate, identical score patterns) before deciding. An examiner listed on it (only) had been
revoked by the city two days before its sessions (R-C3), so the third flag shows too.
"""

import datetime as dt
from decimal import Decimal

from assessments.examiners.services import examiner_create, examiner_revoke, examiner_scope_save
from assessments.models import (
    EvaluationScheme,
    ExaminerRole,
    ExaminerScope,
    ImplementationPlan,
    SchemeStatus,
)
from assessments.results.scoring import ScoreInput
from assessments.scores.services import scores_save
from demo import assessments as assessments_demo

TITLE = "2026年第五期数控车工认定"
REVOKE_REASON = "在其他企业考核中两次违规操作，依规取消考评人员资格。"


def seed(*, enterprises: dict, users: dict, today, ctx: dict) -> None:
    """Add this area's demo rows; `ctx` carries what earlier areas made (e.g. ctx["draw"])."""
    e2 = enterprises["e2"]
    if ImplementationPlan.objects.filter(enterprise=e2, title=TITLE).exists():
        return
    scheme = (
        EvaluationScheme.objects.filter(
            enterprise=e2,
            status=SchemeStatus.APPROVED,
            scope_line__occupation__code="6-18-01-01",
        )
        .order_by("pk")
        .first()
    )
    if scheme is None:
        return
    operator = users["enterprise2"]
    # An examiner listed on this plan only (the plans are staffed with whoever is available).
    newcomer = examiner_create(
        enterprise=e2,
        actor=operator,
        data={
            "role": ExaminerRole.EXAMINER,
            "name": "韩立新",
            "id_number": assessments_demo.id_number(520, dt.date(1979, 8, 8)),
            "phone": "13900139520",
            "qualification": "高级考评员",
            "certificate_number": "KP2020520",
        },
    )
    examiner_scope_save(
        examiner=newcomer,
        actor=operator,
        scope=ExaminerScope(occupation=scheme.scope_line.occupation, highest_level=3),
        expected_version=None,
    )
    plan = assessments_demo._acknowledged_plan(
        e2, operator, scheme, users, today, title=TITLE, first=200
    )
    plan.refresh_from_db()
    rows = []
    for n, entry in enumerate(plan.roster.order_by("seq")):
        # Four identical score sheets, and nobody below a pass mark.
        vector = (85, 88, 90) if n < 4 else (70 + n, 75 + n, 90)
        theory, practical, safety = (Decimal(v) for v in vector)
        rows.append(
            ScoreInput(
                entry_id=entry.pk,
                scores={"theory": theory, "practical": practical, "safety": safety},
            )
        )
    scores_save(plan=plan, actor=operator, rows=rows, expected_version=plan.version)
    assessments_demo._filed_results(plan, operator, today)
    first_session = plan.sessions.order_by("date").values_list("date", flat=True).first()
    if first_session is not None and plan.examiners.filter(pk=newcomer.pk).exists():
        examiner_revoke(
            examiner=newcomer,
            actor=users["city"],
            reason=REVOKE_REASON,
            revoked_on=min(today, first_session - dt.timedelta(days=2)),
        )
    ctx["stats_plan"] = plan
