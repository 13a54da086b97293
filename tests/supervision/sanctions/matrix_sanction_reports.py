"""Access-matrix rows and objects of the reports of a sanction to the province (seed 004
§四(四)), merged by tests/test_access_matrix.py. ROWS: url name → (object key, GET roles, POST
roles).

The world's cities (深圳, 佛山) decide their sanctions themselves: their list of reports is a
404, and only the province decides a report. A report on each side's enterprise is made
directly, as if its province decided: its city still reads it (tests/supervision/sanctions/
test_province_decides.py walks the Shandong personas through the pages)."""

import datetime as dt

from supervision.models import SanctionReport
from tests.supervision.personas import SHENZHEN_CITY

ROWS: dict = {
    # The province reads and decides the reports on its cities' enterprises.
    "sanction_report_list": (None, {"gina", "shan"}, None),
    "sanction_report_detail": ("sanction_report", SHENZHEN_CITY | {"gina"}, None),
    "sanction_report_decide": ("sanction_report", None, {"gina"}),
}


def objects(*, enterprise, people: dict, world: dict) -> dict:
    report = SanctionReport.objects.create(
        enterprise=enterprise,
        kind="removed",
        reason="评价过程管理失序",
        reported_by=people["carl"],
        reported_on=dt.date(2026, 3, 2),
    )
    return {"sanction_report": {"pk": report.pk}}
