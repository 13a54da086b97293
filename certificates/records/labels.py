"""How certificates read on pages and in the audit trail: status and replacement in their own
words, the ID number masked."""

from django.utils.translation import gettext_lazy, pgettext_lazy

from assessments.rosters.reader.format import level_text
from certificates.models import CertificateStatus, ReplacementKind
from portal.core.masking import mask_id

# The model's words are shared with examiners ("Revoked" is 已取消 there); a certificate's
# status reads in its own words.
STATUS_LABELS = {
    CertificateStatus.VALID: pgettext_lazy("certificate status", "Valid"),
    CertificateStatus.REVOKED: pgettext_lazy("certificate status", "Revoked"),
    CertificateStatus.REPLACED: pgettext_lazy("certificate status", "Replaced"),
}
KIND_LABELS = {
    ReplacementKind.REISSUE: pgettext_lazy("certificate replacement", "Reissue (补办)"),
    ReplacementKind.CORRECTION: pgettext_lazy("certificate replacement", "Correction (更正)"),
}


# How the audit trail names certificate actions (registered by CertificatesConfig.ready, with
# STATUS_LABELS for the certificate's statuses).
AUDIT_ACTIONS = {
    "certificates_issued": gettext_lazy("certificates issued"),
    "certificate_issued": gettext_lazy("certificate issued"),
    "certificate_revoked": gettext_lazy("certificate revoked"),
    "certificate_reissue": gettext_lazy("certificate reissued (补办)"),
    "certificate_correction": gettext_lazy("certificate corrected (更正)"),
    "certificate_prefix_set": gettext_lazy("certificate number prefix set"),
    "certificates_reported": gettext_lazy("certificate data exported for reporting"),
}


def decorate(certificates):
    """What the pages show of a certificate: the ID masked, the level and status in words."""
    for certificate in certificates:
        certificate.masked_id = mask_id(certificate.id_number)
        certificate.level_label = level_text(certificate.level, certificate.enterprise_level)
        certificate.status_label = STATUS_LABELS.get(certificate.status, certificate.status)
        certificate.kind_label = KIND_LABELS.get(certificate.replacement_kind, "")
    return certificates
