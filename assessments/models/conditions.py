"""Application conditions of a scheme, per level (申报条件, 破格条件; seed 004 §三(一)(二),
seed 001 §七(一)).

A level's conditions are one or more alternative routes, each a set of minimums; a roster row
meets them when it meets every minimum of one route. Exceptional routes (破格) replace them for
rows that state their reason and evidence.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.schemes import EvaluationScheme


class ExceptionalGround(models.TextChoices):
    COMPETITION = "competition", _("Placing in a skill competition")
    CONTRIBUTION = "contribution", _("Major technical contribution or innovation")
    OTHER = "other", _("Other outstanding performance")


class ApplicationRoute(models.Model):
    """One route to apply for a level: every minimum set here must be met (seed 004 §三(一))."""

    scheme = models.ForeignKey(
        EvaluationScheme, on_delete=models.CASCADE, related_name="application_routes"
    )
    level = models.PositiveSmallIntegerField(_("level applied for"))
    exceptional = models.BooleanField(_("exceptional application (破格)"), default=False)
    ground = models.CharField(
        _("ground for the exceptional application"),
        max_length=12,
        choices=ExceptionalGround.choices,
        blank=True,
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    min_years_in_occupation = models.DecimalField(
        _("years in the occupation, at least"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    min_years_employed = models.DecimalField(
        _("years since joining the enterprise, at least"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    prior_certificate_level = models.PositiveSmallIntegerField(
        _("certificate already held"), null=True, blank=True
    )
    min_years_since_certificate = models.DecimalField(
        _("years since that certificate, at least"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    # seed 001 §七(一): training before the assessment.
    min_training_hours = models.PositiveIntegerField(
        _("training hours before the assessment, at least"), null=True, blank=True
    )

    class Meta:
        ordering = ["scheme", "-level", "exceptional", "id"]
        verbose_name = _("application route")
        verbose_name_plural = _("application routes")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="application_route_level_range"
            ),
            models.CheckConstraint(
                condition=Q(prior_certificate_level__isnull=True)
                | Q(prior_certificate_level__gt=models.F("level"), prior_certificate_level__lte=5),
                name="application_route_certificate_below_level",
            ),
            models.CheckConstraint(
                condition=Q(min_years_since_certificate__isnull=True)
                | Q(prior_certificate_level__isnull=False),
                name="application_route_years_need_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id} L{self.level} {'破格' if self.exceptional else ''}"
