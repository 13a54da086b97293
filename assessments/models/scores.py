"""The component scores of each examinee (R-S2)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.rosters import RosterEntry
from assessments.models.schemes import ComponentKind


class ExamineeScore(models.Model):
    """One component score of one examinee (R-S2), 0–100."""

    entry = models.ForeignKey(RosterEntry, on_delete=models.CASCADE, related_name="scores")
    component = models.CharField(_("component"), max_length=12, choices=ComponentKind.choices)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["entry", "component"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "component"], name="score_once_per_component"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="score_range_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} {self.component} {self.score}"
