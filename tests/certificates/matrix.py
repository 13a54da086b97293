"""The objects of enterprise A that the access matrix needs for the certificate pages.

A valid certificate in an issue batch, a result batch approved and not yet issued, a certificate
data report not yet recorded as uploaded, and the enterprise itself (its plans' schemes rest on
an approved filing, so the city may set its numbering prefix). The batch PDF is not printed
(the matrix never commits, so the printing task is not started): the matrix stays fast, and the
batch PDF page answers with a redirect to the batch while it prints.
"""

import datetime as dt

from certificates.issuance import services
from certificates.models import NumberingPrefix
from certificates.reports.services import report_create
from tests.certificates.factories import approved_batch, prefix_for


def certificate_matrix_objects(*, enterprise, people: dict) -> dict:
    alice = people["alice"]
    if not NumberingPrefix.objects.filter(enterprise=enterprise).exists():
        prefix_for(enterprise)
    batch = services.issue_certificates(
        result_batch=approved_batch(enterprise, "passed", "passed", "failed"),
        actor=alice,
        issued_on=dt.date(2026, 11, 20),
    )
    certificate = batch.certificates.order_by("position").first()
    report = report_create(enterprise=enterprise, actor=alice)
    issuable = approved_batch(enterprise, "passed", "failed")
    return {
        "certificate": {"pk": certificate.pk},
        "issue_batch": {"pk": batch.pk},
        "issuable_plan": {"pk": issuable.plan_id},
        "prefix_enterprise": {"enterprise_id": enterprise.pk},
        "report": {"pk": report.pk},
    }
