from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SanctionKind(models.TextChoices):
    # R-M3: inactive or no longer eligible → removed from the directory, 2-year ban.
    REMOVED = "removed", _("Removed from the directory")
    # R-M2: fraud or organised cheating → filing cancelled, 5-year ban.
    CANCELLED = "cancelled", _("Filing cancelled")


BAN_YEARS = {SanctionKind.REMOVED: 2, SanctionKind.CANCELLED: 5}


class Sanction(models.Model):
    enterprise = models.ForeignKey(
        "filings.Enterprise", on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(_("sanction"), max_length=10, choices=SanctionKind.choices)
    decided_on = models.DateField(_("decided on"))
    ban_until = models.DateField(_("no new filing until"))
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on"]
        verbose_name = _("sanction")
        verbose_name_plural = _("sanctions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ban_until__gt=models.F("decided_on")),
                name="sanction_ban_after_decision",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()}"
