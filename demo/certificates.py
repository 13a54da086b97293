"""Demo certificates: the city sets enterprise2's number prefix, enterprise2 issues the
certificates of its approved results (R-K1, R-K2), and one is revoked so that verification shows
both answers. Called by seed_demo after the assessments part."""

import datetime as dt

from certificates.issuance.services import issue_certificates
from certificates.models import Certificate, CertificateStatus
from certificates.numbering.services import prefix_set
from certificates.revocation.services import certificate_revoke

REVOKE_REASON = "经核查，该人员实际操作考核存在替考行为，证书依规撤销。"


def seed_certificates(*, enterprises: dict, users: dict, today: dt.date, approved_plan) -> None:
    e2 = enterprises["e2"]
    prefix_set(
        enterprise=e2,
        actor=users["city"],
        category="Y",
        institution_code="0000",
        province_code="44",
        site_serial="030001",
    )
    batch = issue_certificates(
        result_batch=approved_plan.result_batch, actor=users["enterprise2"], issued_on=today
    )
    last = batch.certificates.order_by("-position").first()
    certificate_revoke(certificate=last, actor=users["enterprise2"], reason=REVOKE_REASON)


def demo_certificate_line() -> str | None:
    """The line seed_demo prints so that a newcomer can verify a certificate right away."""
    certificate = (
        Certificate.objects.filter(
            status=CertificateStatus.VALID, enterprise__members__user__username="enterprise2"
        )
        .order_by("number")
        .first()
    )
    if certificate is None:
        return None
    return f"demo certificate: {certificate.number} {certificate.holder_name}"


def demo_signing_lines() -> list[str]:
    """The demo's own test CA (made now if missing), and how to see a signed holder PDF."""
    from django.conf import settings

    from certificates.signing.identity import ensure_demo_identity, signing_identity

    if settings.CERT_SIGNING_PKCS12:
        return [f"certificate signing identity: {signing_identity().name}"]
    folder = ensure_demo_identity()
    lines = [
        f"certificate signing: the demo's own test CA in {folder} (DEMO, refused in production): "
        f"{signing_identity().name}"
    ]
    certificate = (
        Certificate.objects.filter(
            status=CertificateStatus.VALID, enterprise__members__user__username="enterprise2"
        )
        .order_by("number")
        .first()
    )
    if certificate is not None:
        lines.append(
            f"signed holder PDF: python manage.py certificate_pdf {certificate.number} "
            "--out certificate.pdf, then upload it at /verify/file/"
        )
    return lines
