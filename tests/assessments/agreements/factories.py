"""Entrusted evaluation agreements for the tests (seed 004 §一(二))."""

import datetime as dt
import hashlib

from django.core.files.base import ContentFile

from assessments.models import AgreementDocument, EntrustedAgreement
from portal.core.models import Policy
from tests.assessments.factories import approved_scheme
from tests.support.factories import MINIMAL_PDF


def agreement_for(
    evaluator,
    client,
    *,
    scheme=None,
    levels=(5, 4),
    valid_from=dt.date(2026, 1, 1),
    valid_until=dt.date(2099, 12, 31),
    status="approved",
    uploaded_by=None,
    **fields,
) -> EntrustedAgreement:
    """An agreement of `evaluator` with `client` on an approved 车工 scheme of the evaluator."""
    scheme = scheme or approved_scheme(evaluator)
    agreement = EntrustedAgreement.objects.create(
        evaluator=evaluator,
        client=client,
        levels=list(levels),
        valid_from=valid_from,
        valid_until=valid_until,
        status=status,
        approved_on=valid_from if status == "approved" else None,
        **fields,
    )
    agreement.schemes.set([scheme])
    if uploaded_by is not None:
        add_document(agreement, uploaded_by)
    return agreement


def add_document(agreement: EntrustedAgreement, user) -> AgreementDocument:
    document = AgreementDocument(
        agreement=agreement,
        uploaded_by=user,
        original_name="委托评价协议.pdf",
        content_type="application/pdf",
        size=len(MINIMAL_PDF),
        sha256=hashlib.sha256(MINIMAL_PDF).hexdigest(),
    )
    document.file.save("agreement.pdf", ContentFile(MINIMAL_PDF), save=False)
    document.save()
    return document


def admit_entrusted(bureau) -> None:
    """The bureau's policy admits entrusted examinees (R-P3, seed 004 §一(二))."""
    policy, _created = Policy.objects.get_or_create(bureau=bureau)
    policy.examinee_categories = ["employee", "dispatched", "entrusted"]
    policy.save()
