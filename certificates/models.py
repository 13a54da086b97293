"""Certificates (R-K1 … R-K5): numbering prefixes, issue batches, certificates, reports.

A certificate copies the printed fields (R-K3) from the roster entry and the enterprise when it is
issued: what was printed never changes when the roster or the enterprise's name changes later.
A correction or a reissue is a new certificate with a new number that points at the one it
replaces; the old one stays, marked as replaced, so the history is whole.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models import ResultBatch, RosterEntry
from filings.models import Enterprise
from portal.core.crypto import EncryptedIDField, IDDigestField
from portal.core.models import BackgroundJob
from portal.core.workflow import Versioned


class NumberingPrefix(Versioned):
    """R-K2: the first 13 characters of an enterprise's certificate numbers, set by the city."""

    enterprise = models.OneToOneField(
        Enterprise, on_delete=models.CASCADE, related_name="numbering_prefix"
    )
    category = models.CharField(_("category letter"), max_length=1, default="Y")
    institution_code = models.CharField(_("institution code"), max_length=4, default="0000")
    province_code = models.CharField(_("province code"), max_length=2)
    site_serial = models.CharField(_("site serial"), max_length=6)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("certificate numbering prefix")
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=["Y", "S"])
                & Q(institution_code__regex=r"^[0-9]{4}$")
                & Q(province_code__regex=r"^[0-9]{2}$")
                & Q(site_serial__regex=r"^[0-9]{6}$"),
                name="numbering_prefix_format",
            )
        ]

    def __str__(self) -> str:
        return self.prefix

    def save(self, *args, **kwargs):
        # R-K2, R-M7: the letter is the institution's kind (Y enterprise, S social training
        # evaluation organisation), whoever writes the row.
        self.category = self.enterprise.kind
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "category" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "category"]
        super().save(*args, **kwargs)

    @property
    def prefix(self) -> str:
        return f"{self.category}{self.institution_code}{self.province_code}{self.site_serial}"


class IssueStatus(models.TextChoices):
    RENDERING = "rendering", _("Printing the batch PDF")
    READY = "ready", _("Batch PDF ready")


class IssueBatch(models.Model):
    """The certificates issued from one approved result batch, and their printable PDF."""

    result_batch = models.OneToOneField(
        ResultBatch, on_delete=models.PROTECT, related_name="issue_batch"
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="issue_batches"
    )
    issued_on = models.DateField(_("issue date"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    status = models.CharField(
        _("status"), max_length=10, choices=IssueStatus.choices, default=IssueStatus.RENDERING
    )
    job = models.OneToOneField(
        BackgroundJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pdf = models.FileField(upload_to="certificates/batches/", blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("certificate issue")
        indexes = [
            models.Index(fields=["status", "created_at"]),
            # The issue batch list, newest first.
            models.Index(fields=["-created_at", "-id"], name="issue_batch_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.issued_on}"


class BatchPart(models.Model):
    """A run of consecutive pages of a batch PDF; rendered once, kept until the batch is whole.

    Parts are what makes printing resumable: a worker lost mid-batch leaves the parts it
    finished, and the next run renders only the missing ones.
    """

    batch = models.ForeignKey(IssueBatch, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    pdf = models.FileField(upload_to="certificates/parts/", blank=True)
    # Set by the task rendering the part; a claim older than CERTIFICATE_PART_CLAIM_SECONDS is
    # presumed lost with its worker and the part is rendered again.
    claimed_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["index"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "index"], name="batch_part_unique_index")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.index}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", pgettext_lazy("certificate status", "Valid")
    REVOKED = "revoked", pgettext_lazy("certificate status", "Revoked")
    REPLACED = "replaced", pgettext_lazy("certificate status", "Replaced")


class ReplacementKind(models.TextChoices):
    REISSUE = "reissue", pgettext_lazy("certificate replacement", "Reissue (补办)")
    CORRECTION = "correction", pgettext_lazy("certificate replacement", "Correction (更正)")


def _public_id() -> str:
    return secrets.token_urlsafe(12)


class Certificate(Versioned):
    number = models.CharField(_("certificate number"), max_length=22, unique=True)
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="certificates"
    )
    batch = models.ForeignKey(
        IssueBatch, on_delete=models.PROTECT, related_name="certificates", null=True, blank=True
    )
    entry = models.ForeignKey(RosterEntry, on_delete=models.PROTECT, related_name="certificates")
    # Position in the batch PDF (roster order); replacements are printed on their own.
    position = models.PositiveIntegerField(default=0)
    # The printed fields (R-K3), copied when the certificate is issued.
    holder_name = models.CharField(_("name"), max_length=50)
    id_type = models.CharField(_("ID type"), max_length=20)
    # Encrypted at rest (PIPL); look-ups and the R-P5a flags go through id_hash, indexed with
    # the occupation and level below (a plain btree: equality is the only comparison).
    id_number = EncryptedIDField(_("ID number"))
    id_hash = IDDigestField(db_index=False)
    photo = models.CharField(max_length=200, blank=True)
    occupation_code = models.CharField(_("occupation code"), max_length=12)
    occupation_name = models.CharField(_("occupation"), max_length=60)
    work_type_name = models.CharField(_("work type"), max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(_("level"))
    # R-S4: the enterprise's own level, printed beside the national one, never in its place.
    enterprise_level = models.CharField(_("enterprise level"), max_length=30, blank=True)
    issuer_name = models.CharField(_("issuing institution"), max_length=100)
    issued_on = models.DateField(_("issue date"))
    status = models.CharField(
        _("status"), max_length=10, choices=CertificateStatus.choices, default="valid"
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    replacement_kind = models.CharField(
        _("replacement"), max_length=10, choices=ReplacementKind.choices, blank=True
    )
    replacement_reason = models.TextField(_("reason"), blank=True)
    # The QR link /v/<public_id>.<signature>: random, carries no personal data.
    public_id = models.CharField(max_length=16, unique=True, default=_public_id, editable=False)
    pdf = models.FileField(upload_to="certificates/holders/", blank=True)
    reported_in = models.ForeignKey(
        "CertificateReport",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="certificates",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # One person, one valid certificate per roster entry (R-P5a counts entries).
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(status="valid"),
                name="one_valid_certificate_per_entry",
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "issued_on"]),
            models.Index(fields=["batch", "position"]),
            # The reviewers' certificate list, newest first: read in index order up to the page
            # instead of sorting every certificate of the city.
            models.Index(fields=["-issued_on", "number"], name="certificate_newest_first"),
            # One person's certificates of an occupation and level (R-P5a).
            models.Index(
                fields=["id_hash", "occupation_code", "level"], name="certificate_person_occupation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"


class CertificateReport(models.Model):
    """R-K4: one export of certificate data for the provincial / national system."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="certificate_reports"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)
    count = models.PositiveIntegerField(_("certificates"))
    file = models.FileField(upload_to="certificates/reports/")
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("certificate report")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.created_at:%Y-%m-%d} ({self.count})"
