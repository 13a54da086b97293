"""The evidence kept of each assessment session."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models.plans import AssessmentSession
from portal.core.models import UploadedFile


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    PHOTO = "photo", _("Photo")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")


class SessionEvidence(UploadedFile):
    """R-C1: every step leaves a trace, kept 2 years; nothing is deleted before `retain_until`."""

    session = models.ForeignKey(
        AssessmentSession, on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(upload_to="evidence/")
    size = models.PositiveBigIntegerField()
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    retain_until = models.DateField(_("kept until"))

    class Meta:
        ordering = ["session", "uploaded_at"]
        verbose_name = _("session evidence")
        verbose_name_plural = _("session evidence")
