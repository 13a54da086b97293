"""Result batches and the objections raised during their publicity (R-R1, R-R2)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models.plans import ImplementationPlan
from assessments.models.rosters import RosterEntry
from portal.core.workflow import ReviewedRecord


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Results being prepared")
    PUBLICISED = "publicised", _("Under publicity")
    SUBMITTED = "submitted", _("Submitted for result filing")
    # Seed 004 §三(三): where the province reviews results after the city (Shandong).
    PROVINCE_REVIEW = "province_review", _("Awaiting provincial review")
    APPROVED = "approved", _("Result filing approved")
    RETURNED = "returned", _("Returned for correction")


class ResultBatch(ReviewedRecord):
    """R-R1, R-R2: a plan's results, publicised for 5 working days, then filed with the city."""

    plan = models.OneToOneField(
        ImplementationPlan, on_delete=models.PROTECT, related_name="result_batch"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("publicity ends on"), null=True, blank=True)
    filing_due_on = models.DateField(_("result filing due on"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    # Where the province reviews after the city: the city's approval and the province's clock.
    city_approved_on = models.DateField(_("approved by the city on"), null=True, blank=True)
    province_due_on = models.DateField(_("provincial review due on"), null=True, blank=True)

    class Meta(ReviewedRecord.Meta):
        verbose_name = _("result batch")
        verbose_name_plural = _("result batches")
        indexes = [models.Index(fields=["status", "filing_due_on"])]

    def __str__(self) -> str:
        return f"{self.plan} {self.get_status_display()}"


class Objection(models.Model):
    """An objection raised during publicity (R-R1); every one is resolved before filing."""

    batch = models.ForeignKey(ResultBatch, on_delete=models.CASCADE, related_name="objections")
    entry = models.ForeignKey(
        RosterEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="objections"
    )
    raised_on = models.DateField(_("raised on"))
    raised_by = models.CharField(_("raised by"), max_length=50)
    content = models.TextField(_("objection"))
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )

    class Meta:
        ordering = ["raised_on", "id"]

    def __str__(self) -> str:
        return f"{self.raised_by}: {self.content[:20]}"
