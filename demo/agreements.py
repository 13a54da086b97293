"""The demo's entrusted evaluation agreement (seed 004 §一(二)): enterprise 2 evaluates the staff
of enterprise 1 with its approved 车工 scheme; enterprise 1 confirmed it and the city (the bureau
of both) approved it. One examinee of enterprise 1 is on a certified roster of enterprise 2, so
enterprise 1 reads that result and certificate under 委托评价 results."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.agreements import services
from assessments.models import EntrustedAgreement, ExamineeCategory
from demo.materials import DEMO_PDF
from filings.uploads import check_upload


def seed_agreement(*, evaluator, client, scheme, users: dict, today: dt.date) -> EntrustedAgreement:
    operator, client_operator = users["enterprise2"], users["enterprise1"]
    agreement = services.agreement_create(
        evaluator=evaluator,
        actor=operator,
        data={
            "client": client,
            "levels": [5, 4],
            "valid_from": today - dt.timedelta(days=90),
            "valid_until": today.replace(year=today.year + 2),
            "note": "委托方职工车工五级、四级评价，评价费用按协议结算。",
        },
        schemes=[scheme],
    )
    upload = SimpleUploadedFile("委托评价协议.pdf", DEMO_PDF, content_type="application/pdf")
    services.agreement_document_add(
        agreement=agreement, actor=operator, upload=upload, checked=check_upload(upload)
    )
    services.agreement_submit(agreement=agreement, actor=operator)
    services.agreement_confirm(agreement=agreement, actor=client_operator)
    agreement.refresh_from_db()
    for bureau in agreement.bureaus:
        services.agreement_approve(agreement=agreement, actor=users["city"], bureau=bureau)
    agreement.refresh_from_db()
    return agreement


def mark_entrusted_examinee(plan, agreement: EntrustedAgreement) -> None:
    """The plan's first examinee is a member of the client's staff. 深圳's policy (seed 001 §三)
    does not admit entrusted examinees on an upload, so the demo sets the row itself."""
    plan.roster.filter(seq=1).update(
        category=ExamineeCategory.ENTRUSTED,
        is_employee=False,
        employer=agreement.client.name,
        entrusted_client=agreement.client,
    )


def demo_agreement_line() -> str | None:
    """The line seed_demo prints to find the agreement and the client's results page."""
    agreement = (
        EntrustedAgreement.objects.filter(evaluator__members__user__username="enterprise2")
        .select_related("evaluator", "client")
        .order_by("pk")
        .first()
    )
    if agreement is None:
        return None
    return (
        f"demo entrusted evaluation agreement: /agreements/{agreement.pk}/ "
        f"{agreement.evaluator.name} → {agreement.client.name} "
        f"(the client's results: /agreements/staff-results/ as enterprise1)"
    )
