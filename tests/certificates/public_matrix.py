"""Objects the access matrix needs for the public certificate pages (R-K5)."""

from certificates.issuance import services
from certificates.models import NumberingPrefix
from certificates.verification.tokens import make_token
from tests.certificates.factories import ISSUED_ON, approved_batch, prefix_for


def public_matrix_objects(*, enterprise, people) -> dict:
    """A valid certificate of `enterprise` and its QR token (the batch PDF is not printed)."""
    if not NumberingPrefix.objects.filter(enterprise=enterprise).exists():
        prefix_for(enterprise)
    batch = services.issue_certificates(
        result_batch=approved_batch(enterprise, "passed"),
        actor=people["alice"],
        issued_on=ISSUED_ON,
    )
    certificate = batch.certificates.get()
    return {"certificate_token": {"token": make_token(certificate.public_id)}}
