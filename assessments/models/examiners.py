"""The enterprise's register of examiners and internal quality supervisors (R-C3)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from filings.models import Enterprise
from portal.core.crypto import EncryptedIDField, IDDigestField
from portal.core.workflow import Versioned


class ExaminerRole(models.TextChoices):
    EXAMINER = "examiner", _("Examiner")
    SUPERVISOR = "supervisor", _("Internal quality supervisor")


class ExaminerStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class Examiner(Versioned):
    """A person of the enterprise's register of examiners and internal supervisors (R-C3)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="examiners")
    role = models.CharField(
        _("role"), max_length=10, choices=ExaminerRole.choices, default=ExaminerRole.EXAMINER
    )
    name = models.CharField(_("name"), max_length=50)
    # Encrypted at rest (PIPL); every look-up and duplicate check goes through id_hash.
    id_number = EncryptedIDField(_("ID number"))
    id_hash = IDDigestField()
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    qualification = models.CharField(_("qualification"), max_length=200, blank=True)
    certificate_number = models.CharField(
        _("qualification certificate number"), max_length=40, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExaminerStatus.choices, default=ExaminerStatus.ACTIVE
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("examiner")
        verbose_name_plural = _("Examiners")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "id_hash", "role"], name="examiner_unique_person_role"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ExaminerScope(models.Model):
    """An occupation an examiner may assess, down to the highest level they may assess."""

    examiner = models.ForeignKey(Examiner, on_delete=models.CASCADE, related_name="scopes")
    occupation = models.ForeignKey("filings.Occupation", on_delete=models.PROTECT)
    highest_level = models.PositiveSmallIntegerField(_("highest level assessed"), default=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["examiner", "occupation"], name="examiner_scope_unique"
            ),
            models.CheckConstraint(
                condition=Q(highest_level__gte=1, highest_level__lte=5),
                name="examiner_scope_level_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.examiner} {self.occupation}"
