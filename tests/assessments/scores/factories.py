"""Plans ready for scores (R-S2, R-S3): acknowledged by the city, a scheme with components, a
roster; and score sheets written the way a user fills them in."""

import datetime as dt
import io

from openpyxl import Workbook

from assessments.models import ImplementationPlan, SchemeComponent
from tests.assessments.factories import PlanFactory, RosterEntryFactory, approved_scheme

# theory 30 %, practical 50 %, safety 20 % with the one-vote veto; each pass mark 60.
COMPONENTS = (("theory", 30, 60, False), ("practical", 50, 60, False), ("safety", 20, 60, True))


def acknowledged_plan_with_roster(
    enterprise,
    *,
    size: int = 3,
    components=COMPONENTS,
    methods=("theory_exam", "practical", "safety_review", "direct_recognition"),
    **fields,
) -> ImplementationPlan:
    """A plan of `enterprise` the city has acknowledged: an approved scheme with `components`
    (kind, weight, pass mark, veto) and `methods`, and a roster of `size` examinees 考生0…"""
    scheme = approved_scheme(enterprise)
    scheme.methods = list(methods)
    scheme.save(update_fields=["methods"])
    for kind, weight, pass_mark, veto in components:
        SchemeComponent.objects.create(
            scheme=scheme, kind=kind, weight=weight, pass_mark=pass_mark, veto=veto
        )
    values = {
        "status": "acknowledged",
        "submitted_on": dt.date(2026, 3, 2),
        "acknowledged_on": dt.date(2026, 3, 9),
    }
    values.update(fields)
    plan = PlanFactory(enterprise=enterprise, scheme=scheme, **values)
    RosterEntryFactory.create_batch(size, plan=plan)
    return plan


def score_xlsx(rows: list[list], *, header: list[str], title: bool = True) -> bytes:
    """A score sheet written with openpyxl: a title row, the header, the rows as given."""
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["成绩录入表"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
