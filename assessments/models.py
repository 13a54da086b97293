"""Evaluation schemes, examiners, implementation plans, sessions and rosters (R-S*, R-P*, R-C*)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from filings.models import Enterprise, FilingScopeLine
from portal.core.crypto import EncryptedIDField, IDDigestField
from portal.core.expert_review import ExpertOpinion
from portal.core.workflow import Versioned


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


class ComponentKind(models.TextChoices):
    # R-S2: professional ability (theory, practical) and professional quality (safety, ethics,
    # work performance).
    THEORY = "theory", _("Theory knowledge")
    PRACTICAL = "practical", _("Practical skill")
    SAFETY = "safety", _("Safety production")
    ETHICS = "ethics", _("Professional ethics")
    PERFORMANCE = "performance", _("Work performance")


class EvaluationScheme(Versioned):
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
    application_conditions = models.TextField(_("application conditions"), blank=True)
    exceptional_conditions = models.TextField(_("exceptional application conditions"), blank=True)
    direct_recognition_criteria = models.TextField(_("criteria for direct recognition"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
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


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the city")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the city")
    RETURNED = "returned", _("Returned for correction")


EDITABLE_PLAN_STATUSES = [PlanStatus.DRAFT, PlanStatus.RETURNED]


class ImplementationPlan(Versioned):
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
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
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


class ExamineeCategory(models.TextChoices):
    # R-P3: who may be assessed; each a city policy switch.
    EMPLOYEE = "employee", _("Insured employee of the enterprise")
    AFFILIATED = "affiliated", _("Employee of an affiliated enterprise in the city")
    DISPATCHED = "dispatched", _("Dispatched worker (after 1 year at the enterprise)")
    STUDENT = "student", _("School-enterprise cooperation student")
    APPRENTICE = "apprentice", _("Apprentice")
    OUTSOURCED = "outsourced", _("Outsourced worker")
    ENTRUSTED = "entrusted", _("Employee of another enterprise (entrusted evaluation)")


class ExamineeResult(models.TextChoices):
    PENDING = "pending", _("Not yet decided")
    PASSED = "passed", _("Passed")
    FAILED = "failed", pgettext_lazy("examinee result", "Failed")


class RosterEntry(models.Model):
    """One row of the official roster (R-P5, seed 004 附件3), in its column order."""

    plan = models.ForeignKey(ImplementationPlan, on_delete=models.CASCADE, related_name="roster")
    seq = models.PositiveIntegerField(_("No."))
    institution_code = models.CharField(_("institution code"), max_length=40, blank=True)
    institution_name = models.CharField(_("institution name"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=50)
    id_type = models.CharField(_("ID type"), max_length=20, default="居民身份证")
    # Encrypted at rest (PIPL); R-P5a and the once-per-plan rule compare id_hash. Its own index
    # would only repeat the first column of the composite one below.
    id_number = EncryptedIDField(_("ID number"))
    id_hash = IDDigestField(db_index=False)
    sex = models.CharField(_("sex"), max_length=2)
    birth_date = models.DateField(_("date of birth"))
    phone = models.CharField(_("phone"), max_length=20)
    email = models.CharField(_("e-mail"), max_length=100, blank=True)
    is_employee = models.BooleanField(_("employee of the enterprise"), default=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    years_in_occupation = models.CharField(_("years in the occupation"), max_length=20, blank=True)
    position = models.CharField(_("position"), max_length=50, blank=True)
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    occupation_code = models.CharField(_("occupation code"), max_length=12)
    occupation_name = models.CharField(_("occupation name"), max_length=60)
    work_type_name = models.CharField(_("work type"), max_length=60, blank=True)
    level = models.PositiveSmallIntegerField(_("level"))
    certificate_number = models.CharField(_("certificate number"), max_length=30, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    category = models.CharField(
        _("examinee category"),
        max_length=12,
        choices=ExamineeCategory.choices,
        default=ExamineeCategory.EMPLOYEE,
    )
    photo = models.ImageField(upload_to="photos/", blank=True)
    # Results (R-S2, R-S3): filled from the scores by assessments.results.scoring.
    safety_violation = models.BooleanField(
        _("serious safety violation in the period"), default=False
    )
    direct_recognition = models.BooleanField(_("direct recognition candidate"), default=False)
    direct_recognition_evidence = models.TextField(_("evidence for direct recognition"), blank=True)
    total_score = models.DecimalField(
        _("weighted total"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    result = models.CharField(
        _("result"), max_length=10, choices=ExamineeResult.choices, default=ExamineeResult.PENDING
    )
    result_reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "seq"]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")
        constraints = [
            models.UniqueConstraint(fields=["plan", "id_hash"], name="roster_person_once_per_plan"),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="roster_level_range"
            ),
        ]
        indexes = [
            models.Index(
                fields=["id_hash", "occupation_code", "level"], name="roster_person_occupation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.seq} {self.name}"


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


class EvidenceKind(models.TextChoices):
    DOCUMENT = "document", _("Document")
    PHOTO = "photo", _("Photo")
    AUDIO = "audio", _("Audio")
    VIDEO = "video", _("Video")


class SessionEvidence(models.Model):
    """R-C1: every step leaves a trace, kept 2 years; nothing is deleted before `retain_until`."""

    session = models.ForeignKey(
        AssessmentSession, on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=EvidenceKind.choices)
    file = models.FileField(upload_to="evidence/")
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=80)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    retain_until = models.DateField(_("kept until"))

    class Meta:
        ordering = ["session", "uploaded_at"]
        verbose_name = _("session evidence")
        verbose_name_plural = _("session evidence")

    def __str__(self) -> str:
        return self.original_name


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Results being prepared")
    PUBLICISED = "publicised", _("Under publicity")
    SUBMITTED = "submitted", _("Submitted for result filing")
    APPROVED = "approved", _("Result filing approved")
    RETURNED = "returned", _("Returned for correction")


class ResultBatch(Versioned):
    """R-R1, R-R2: a plan's results, publicised for 5 working days, then filed with the city."""

    plan = models.OneToOneField(
        ImplementationPlan, on_delete=models.PROTECT, related_name="result_batch"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.DRAFT
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)
    publicity_ends_on = models.DateField(_("publicity ends on"), null=True, blank=True)
    filing_due_on = models.DateField(_("result filing due on"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
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


class RosterImportPhase(models.TextChoices):
    """Where an uploaded roster is: checked for its preview, then imported on request (R-P5)."""

    CHECKING = "checking", _("being checked")
    CHECKED = "checked", _("checked, waiting on its preview")
    IMPORTING = "importing", _("being imported")
    IMPORTED = "imported", _("imported")
    FAILED = "failed", _("failed")


# A worker owes these phases some work; the beat resumes an import left in one of them.
WORKING_ROSTER_PHASES = [RosterImportPhase.CHECKING, RosterImportPhase.IMPORTING]


class RosterImport(models.Model):
    """One uploaded roster file of a plan, from its check to its import (R-P5).

    The file is sealed on disk (it holds every examinee's ID number, PIPL) and deleted once
    imported; the preview keeps only masked ID numbers.
    """

    plan = models.ForeignKey(
        ImplementationPlan, on_delete=models.CASCADE, related_name="roster_imports"
    )
    file = models.FileField(upload_to="jobs/", blank=True)
    filename = models.CharField(max_length=255, blank=True)
    phase = models.CharField(
        max_length=10, choices=RosterImportPhase.choices, default=RosterImportPhase.CHECKING
    )
    # Set while a worker does the phase's work; a claim that grew old was lost with its worker.
    claimed_at = models.DateTimeField(null=True, blank=True)
    only_good = models.BooleanField(default=False)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    bad = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    left_out = models.PositiveIntegerField(default=0)
    has_category = models.BooleanField(default=False)
    # {"file_problems": [[row, column, reason, rule]], "bad_rows": [[row, name, masked id,
    # [[column, reason, rule]]]]}: what the preview and the error report show.
    preview = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        constraints = [
            models.CheckConstraint(
                condition=Q(phase__in=RosterImportPhase.values), name="roster_import_phase_valid"
            )
        ]
        indexes = [models.Index(fields=["phase", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.plan} {self.filename} {self.phase}"

    @property
    def working(self) -> bool:
        return self.phase in WORKING_ROSTER_PHASES

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
