"""The models of a jurisdiction's rules: the policy a bureau sets (portal.core.policy resolves
what is in force) and its application windows (R-F4). Imported through portal.core.models."""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.core.models import Bureau


class EnterpriseSize(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


ENTERPRISE_SIZE_RANK = {"": 0, "micro": 1, "small": 2, "medium": 3, "large": 4}


def default_excluded_scope_keywords() -> list[str]:
    return ["培训", "评价", "鉴定", "咨询"]


def default_required_materials() -> list[str]:
    return [
        "application_form",
        "implementation_scheme",
        "pay_policy",
        "standards",
        "site_evidence",
        "business_licence",
        "examiner_list",
        "question_bank",
    ]


def default_examinee_categories() -> list[str]:
    return ["employee", "affiliated", "dispatched"]


class Policy(models.Model):
    """The values one bureau sets for the rules that differ between jurisdictions (DOMAIN.md).

    Every value may be empty: the bureau then follows the level above, or the portal's default
    (portal.core.policy). A lower level's value counts only where the level above delegates it.
    """

    bureau = models.OneToOneField(Bureau, on_delete=models.CASCADE, related_name="policy")
    # The preset the values were last taken from (portal.core.presets), for the settings page.
    preset = models.CharField(_("preset"), max_length=20, blank=True)
    # R-F1
    min_insured_employees = models.PositiveIntegerField(
        _("minimum insured employees"), null=True, blank=True
    )
    min_enterprise_size = models.CharField(
        _("minimum enterprise size"),
        max_length=10,
        choices=[("none", _("No minimum")), *EnterpriseSize.choices],
        null=True,
        blank=True,
    )
    excluded_scope_keywords = models.JSONField(
        _("business scope keywords that exclude an enterprise"), null=True, blank=True
    )
    # R-F2
    min_workstations = models.PositiveIntegerField(_("minimum workstations"), null=True, blank=True)
    min_examiners = models.PositiveIntegerField(_("minimum examiners"), null=True, blank=True)
    min_applicants = models.PositiveIntegerField(_("minimum applicants"), null=True, blank=True)
    # R-M7, seed 003 §二(一)2, §三(二): a social training evaluation organisation's own conditions.
    org_min_history_years = models.PositiveIntegerField(
        _("minimum years of training and evaluation history of an organisation"),
        null=True,
        blank=True,
    )
    org_min_training_total = models.PositiveIntegerField(
        _("minimum training and evaluation person-times of an organisation"), null=True, blank=True
    )
    org_min_occupation_training = models.PositiveIntegerField(
        _("minimum training and evaluation person-times per occupation of an organisation"),
        null=True,
        blank=True,
    )
    org_min_evaluation_percent = models.PositiveIntegerField(
        _("minimum share of evaluation in an organisation's person-times (%)"),
        null=True,
        blank=True,
    )
    org_shortage_occupations_only = models.BooleanField(
        _("organisations may only file shortage occupations with a national standard"),
        null=True,
        blank=True,
    )
    shortage_occupations = models.JSONField(
        _("shortage occupations published by the city (codes)"), null=True, blank=True
    )
    # R-F4
    filing_open_all_year = models.BooleanField(
        _("filing applications accepted all year"), null=True, blank=True
    )
    # R-F5
    district_prereview = models.BooleanField(
        _("district pre-review applies"), null=True, blank=True
    )
    # R-F6, R-F7
    review_working_days = models.PositiveIntegerField(
        _("review period (working days)"), null=True, blank=True
    )
    correction_working_days = models.PositiveIntegerField(
        _("correction period (working days)"), null=True, blank=True
    )
    filing_validity_years = models.PositiveIntegerField(
        _("filing validity (years)"), null=True, blank=True
    )
    # Seed 002 §四, §六(三): the centre evaluates, another officer confirms and publishes.
    filing_confirmation = models.BooleanField(
        _("a second officer confirms each filing decision"), null=True, blank=True
    )
    # R-F8
    required_materials = models.JSONField(_("required materials"), null=True, blank=True)
    # R-P2: plans reach the bureau this many working days before the first session.
    plan_lead_working_days = models.PositiveIntegerField(
        _("plan lead time (working days)"), null=True, blank=True
    )
    min_plan_examiners = models.PositiveIntegerField(
        _("minimum examiners per plan"), null=True, blank=True
    )
    # R-P3: examinee categories admitted; dispatched workers after this many months.
    examinee_categories = models.JSONField(_("examinee categories admitted"), null=True, blank=True)
    dispatched_min_months = models.PositiveIntegerField(
        _("months a dispatched worker must have worked at the enterprise"), null=True, blank=True
    )
    # R-R1
    publicity_working_days = models.PositiveIntegerField(
        _("publicity period (working days)"), null=True, blank=True
    )
    result_filing_working_days = models.PositiveIntegerField(
        _("result filing period after publicity (working days)"), null=True, blank=True
    )
    # R-R2, seed 004 §三(三): after the city, the provincial centre reviews the results.
    results_province_review = models.BooleanField(
        _("the provincial centre reviews results after the city"), null=True, blank=True
    )
    # R-M3, seed 004 §四(四): the city reports a removal, the province decides it.
    removal_decided_by_province = models.BooleanField(
        _("the province decides removals and bans on the city's report"), null=True, blank=True
    )
    # Seed 004 §一(二): entrusted evaluation agreements are approved by the provincial centre
    # instead of each party's own bureau.
    entrusted_agreement_approved_by_province = models.BooleanField(
        _("the provincial centre approves entrusted evaluation agreements"),
        null=True,
        blank=True,
    )
    # R-M4: "MM-DD" in the year the report is for.
    annual_report_due = models.CharField(
        _("annual report due (month-day)"), max_length=5, null=True, blank=True
    )
    # Seed 002 §六(二), seed 001 §六(一)2, seed 003 §一: the items the experts score, their
    # points and the pass mark (portal.core.checklists).
    expert_checklist = models.JSONField(_("expert evaluation checklist"), null=True, blank=True)
    # What the levels below may set (value names, "application_windows", "random_draws");
    # empty = the level's default (a province delegates everything, a city nothing).
    delegated = models.JSONField(_("delegated to the level below"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")

    def __str__(self) -> str:
        return str(self.bureau)


class WindowRepeat(models.TextChoices):
    ONCE = "once", _("Once, on these dates")
    YEARLY = "yearly", _("Every year, on these days")


class ApplicationWindow(models.Model):
    """R-F4: a period in which a bureau accepts filing applications. A yearly window repeats
    the month and day of its dates every year (the year stored is ignored)."""

    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="application_windows")
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    repeat = models.CharField(
        _("repeats"), max_length=10, choices=WindowRepeat.choices, default=WindowRepeat.ONCE
    )
    name = models.CharField(_("name"), max_length=60, blank=True)

    class Meta:
        ordering = ["opens_on"]
        verbose_name = _("application window")
        verbose_name_plural = _("application windows")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="window_closes_after_opens"
            )
        ]

    def __str__(self) -> str:
        return f"{self.opens_on} – {self.closes_on}"

    def occurrence(self, year: int) -> tuple[dt.date, dt.date]:
        """The dates the window is open in `year` (for a window on dates, its own dates)."""
        if self.repeat == WindowRepeat.ONCE:
            return self.opens_on, self.closes_on
        return _in_year(self.opens_on, year), _in_year(self.closes_on, year)

    def next_occurrence(self, today: dt.date) -> tuple[dt.date, dt.date] | None:
        """The occurrence open on `today` or the next to open; None when none is to come."""
        if self.repeat == WindowRepeat.ONCE:
            return (self.opens_on, self.closes_on) if self.closes_on >= today else None
        for year in (today.year, today.year + 1):
            opens, closes = self.occurrence(year)
            if closes >= today:
                return opens, closes
        return None


def _in_year(day: dt.date, year: int) -> dt.date:
    # 29 February of a yearly window falls on the 28th in a common year.
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)
