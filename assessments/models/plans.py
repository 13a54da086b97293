"""Implementation plans and their assessment sessions (R-P1, R-P2)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.examiners import Examiner
from assessments.models.schemes import ComponentKind, EvaluationScheme
from filings.models import Enterprise
from portal.core.workflow import ReviewedRecord


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the city")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the city")
    RETURNED = "returned", _("Returned for correction")


EDITABLE_PLAN_STATUSES = [PlanStatus.DRAFT, PlanStatus.RETURNED]


class ImplementationPlan(ReviewedRecord):
    """R-P1: occupation, levels, schedule, sites, examiners, supervisors and roster."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="plans")
    scheme = models.ForeignKey(
        EvaluationScheme, on_delete=models.PROTECT, related_name="plans", verbose_name=_("scheme")
    )
    title = models.CharField(_("title"), max_length=100)
    levels = models.JSONField(_("levels"), default=list)
    status = models.CharField(
        _("status"), max_length=15, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    application_conditions = models.TextField(_("application conditions"), blank=True)
    examiners = models.ManyToManyField(
        Examiner, related_name="plans_examined", blank=True, verbose_name=_("Examiners")
    )
    supervisors = models.ManyToManyField(
        Examiner,
        related_name="plans_supervised",
        blank=True,
        verbose_name=_("internal quality supervisors"),
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    acknowledged_on = models.DateField(_("acknowledged on"), null=True, blank=True)

    class Meta(ReviewedRecord.Meta):
        verbose_name = _("implementation plan")
        verbose_name_plural = _("implementation plans")
        indexes = [
            models.Index(fields=["enterprise", "status"]),
            # The reviewers' plan list, last changed first.
            models.Index(fields=["-updated_at", "-id"], name="plan_recently_updated"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_PLAN_STATUSES


class AssessmentSession(models.Model):
    plan = models.ForeignKey(ImplementationPlan, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    site = models.CharField(_("site"), max_length=200)
    room = models.CharField(_("room"), max_length=60, blank=True)
    component = models.CharField(
        _("component"), max_length=12, choices=ComponentKind.choices, blank=True
    )

    class Meta:
        ordering = ["date", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.site} {self.room}"


class SessionInvigilator(models.Model):
    """Seed 004 §三(一): who invigilates a session (监考人员), named from the examiner register or
    by name with their unit, title and phone; never an ID number."""

    session = models.ForeignKey(
        AssessmentSession,
        on_delete=models.CASCADE,
        related_name="invigilators",
        verbose_name=_("session"),
    )
    examiner = models.ForeignKey(
        Examiner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invigilations",
        verbose_name=_("from the examiner register"),
    )
    name = models.CharField(_("invigilator's name"), max_length=50)
    organisation = models.CharField(_("unit and title"), max_length=100, blank=True)
    phone = models.CharField(_("invigilator's phone"), max_length=20, blank=True)

    class Meta:
        ordering = ["session__date", "session__starts_at", "id"]
        verbose_name = _("invigilator")
        verbose_name_plural = _("invigilators")
        constraints = [
            models.UniqueConstraint(fields=["session", "name"], name="invigilator_once_a_session")
        ]

    def __str__(self) -> str:
        return self.name
