"""Evaluation schemes: their components, level mappings and the experts' reviews (R-S1 … R-S5)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from filings.models import Enterprise, FilingScopeLine
from portal.core.expert_review import ExpertOpinion
from portal.core.workflow import ReviewedRecord


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the city")
    EXPERT_REVIEW = "expert_review", _("Expert evaluation")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")
    SUPERSEDED = "superseded", _("Superseded by a re-filed version")


EDITABLE_SCHEME_STATUSES = [SchemeStatus.DRAFT, SchemeStatus.RETURNED]
# R-S5: a version in the making, from its draft until the city approves it.
OPEN_SCHEME_STATUSES = [
    SchemeStatus.DRAFT,
    SchemeStatus.SUBMITTED,
    SchemeStatus.EXPERT_REVIEW,
    SchemeStatus.RETURNED,
]


class StandardBasis(models.TextChoices):
    # R-S1: the national standard where one exists, else an industry or enterprise norm.
    NATIONAL = "national", _("National occupational skill standard")
    INDUSTRY = "industry", _("Industry evaluation norm")
    ENTERPRISE = "enterprise", _("Enterprise evaluation norm")


class EvaluationMethod(models.TextChoices):
    # R-S2 (seed 001 §五, seed 002 §二(三))
    THEORY_EXAM = "theory_exam", _("Theory examination")
    PRACTICAL = "practical", _("Practical skill assessment")
    SAFETY_REVIEW = "safety_review", _("Safety review")
    ETHICS = "ethics", _("Professional ethics assessment")
    PERFORMANCE = "performance", _("Work performance review")
    PROCESS = "process", _("Process-based assessment")
    ONLINE_TRAINING = "online_training", _("Online training")
    DIRECT_RECOGNITION = "direct_recognition", _("Direct recognition")
    # seed 002 §二(三)1: examination by theory, practical assessment and thesis defence.
    THESIS_DEFENCE = "thesis_defence", _("Thesis defence")


class ComponentKind(models.TextChoices):
    # R-S2: professional ability (theory, practical) and professional quality (safety, ethics,
    # work performance).
    THEORY = "theory", _("Theory knowledge")
    PRACTICAL = "practical", _("Practical skill")
    SAFETY = "safety", _("Safety production")
    ETHICS = "ethics", _("Professional ethics")
    PERFORMANCE = "performance", _("Work performance")


class EvaluationScheme(ReviewedRecord):
    """How one filed occupation is assessed (评价方案); approved by the city after an expert."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="schemes")
    scope_line = models.ForeignKey(
        FilingScopeLine,
        on_delete=models.PROTECT,
        related_name="schemes",
        verbose_name=_("filed occupation"),
    )
    status = models.CharField(
        _("status"), max_length=15, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT
    )
    # R-S5: a changed scheme is re-filed; the new version points at the one it replaces.
    revision = models.PositiveIntegerField(_("revision"), default=1)
    replaces = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by"
    )
    standard_basis = models.CharField(
        _("standard basis"),
        max_length=12,
        choices=StandardBasis.choices,
        default=StandardBasis.NATIONAL,
    )
    standard_name = models.CharField(_("standard or norm"), max_length=200)
    levels = models.JSONField(_("levels offered"), default=list)
    methods = models.JSONField(_("evaluation methods"), default=list)
    # seed 002 §二(三): methods the enterprise defines itself, named in the scheme.
    declared_methods = models.JSONField(
        _("the enterprise's own evaluation methods"), default=list, blank=True
    )
    # seed 002 §二(三): recognition carried out online.
    online_recognition = models.BooleanField(_("online recognition"), default=False)
    application_conditions = models.TextField(_("application conditions"), blank=True)
    exceptional_conditions = models.TextField(_("exceptional application conditions"), blank=True)
    direct_recognition_criteria = models.TextField(_("criteria for direct recognition"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)

    class Meta(ReviewedRecord.Meta):
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        permissions = [("evaluate_scheme", "Can evaluate the scheme as an assigned expert")]
        constraints = [
            # R-S5: a changed scheme is re-filed while the approved one stays in force, so a
            # filed occupation has at most one approved version and at most one in the making.
            models.UniqueConstraint(
                fields=["scope_line"],
                condition=Q(status="approved"),
                name="scheme_one_approved_per_scope_line",
            ),
            models.UniqueConstraint(
                fields=["scope_line"],
                condition=Q(status__in=OPEN_SCHEME_STATUSES),
                name="scheme_one_open_per_scope_line",
            ),
            models.CheckConstraint(
                condition=Q(revision=1, replaces__isnull=True)
                | Q(revision__gt=1, replaces__isnull=False),
                name="scheme_revision_replaces_previous",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope_line} v{self.revision}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_SCHEME_STATUSES


class SchemeComponent(models.Model):
    """R-S2, R-S3: a weighted part of the result with its pass mark; safety can veto."""

    scheme = models.ForeignKey(
        EvaluationScheme, on_delete=models.CASCADE, related_name="components"
    )
    kind = models.CharField(_("component"), max_length=12, choices=ComponentKind.choices)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=2, default=60)
    # R-S3: a serious safety violation fails the examinee whatever the scores.
    veto = models.BooleanField(_("one-vote veto"), default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="scheme_component_unique"),
            models.CheckConstraint(
                condition=Q(weight__gte=0, weight__lte=100), name="scheme_component_weight_range"
            ),
            models.CheckConstraint(
                condition=Q(pass_mark__gte=0, pass_mark__lte=100),
                name="scheme_component_pass_mark_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.weight}%"


class LevelMapping(models.Model):
    """R-S4: an enterprise-defined level (特级技师, sub-levels …) mapped to a national one."""

    scheme = models.ForeignKey(
        EvaluationScheme, on_delete=models.CASCADE, related_name="level_mappings"
    )
    enterprise_level = models.CharField(_("enterprise level"), max_length=30)
    national_level = models.PositiveSmallIntegerField(_("national level"))

    class Meta:
        ordering = ["national_level", "enterprise_level"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "enterprise_level"], name="level_mapping_unique"
            ),
            models.CheckConstraint(
                condition=Q(national_level__gte=1, national_level__lte=5),
                name="level_mapping_national_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_level} → {self.national_level}"


class SchemeRecommendation(models.TextChoices):
    """What an expert recommends and what the city decides (R-S5)."""

    APPROVE = "approve", _("Approve the scheme")
    RETURN = "return", _("Return the scheme for correction")


class SchemeReview(ExpertOpinion):
    """An expert assigned to evaluate a scheme (R-S5) and the opinion they give."""

    scheme = models.ForeignKey(EvaluationScheme, on_delete=models.CASCADE, related_name="reviews")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scheme_reviews"
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=SchemeRecommendation.choices, blank=True
    )

    class Meta(ExpertOpinion.Meta):
        constraints = [
            models.UniqueConstraint(fields=["scheme", "expert"], name="scheme_review_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.scheme}"
