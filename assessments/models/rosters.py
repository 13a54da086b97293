"""The examinees of a plan and the roster files imported into it (R-P3 … R-P5)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.models.plans import ImplementationPlan
from portal.core.crypto import EncryptedIDField, IDDigestField
from portal.core.models import Timestamped


class ExamineeCategory(models.TextChoices):
    # R-P3: who may be assessed; each a city policy switch.
    EMPLOYEE = "employee", _("Insured employee of the enterprise")
    AFFILIATED = "affiliated", _("Employee of an affiliated enterprise in the city")
    DISPATCHED = "dispatched", _("Dispatched worker (after 1 year at the enterprise)")
    STUDENT = "student", _("School-enterprise cooperation student")
    APPRENTICE = "apprentice", _("Apprentice")
    OUTSOURCED = "outsourced", _("Outsourced worker")
    ENTRUSTED = "entrusted", _("Employee of another enterprise (entrusted evaluation)")
    # R-M7, seed 003 §四(二), §二(二)1: who a social training evaluation organisation assesses.
    PUBLIC = "public", _("Member of the public")
    COLLEGE_STUDENT = "college", _("Student of the technical college")


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
    # R-S4: the scheme's own level the row named (特级技师, 一级A …), stored beside the national
    # level it maps to; blank for a national level.
    enterprise_level = models.CharField(_("enterprise level"), max_length=30, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=30, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    category = models.CharField(
        _("examinee category"),
        max_length=12,
        choices=ExamineeCategory.choices,
        default=ExamineeCategory.EMPLOYEE,
    )
    # Seed 004 §一(二): an entrusted examinee's enterprise, whose approved agreement with this
    # plan's enterprise covered the row when it was imported.
    entrusted_client = models.ForeignKey(
        "filings.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entrusted_entries",
        verbose_name=_("client enterprise"),
    )
    photo = models.ImageField(upload_to="photos/", blank=True)
    # Application conditions (seed 004 §三(一)(二)): the optional columns after the official ones.
    prior_certificate_level = models.PositiveSmallIntegerField(
        _("certificate already held"), null=True, blank=True
    )
    prior_certificate_on = models.DateField(_("certificate obtained on"), null=True, blank=True)
    training_hours = models.DecimalField(
        _("training hours"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    exceptional = models.BooleanField(_("exceptional application (破格)"), default=False)
    exceptional_reason = models.TextField(_("reason for the exceptional application"), blank=True)
    exceptional_evidence = models.TextField(
        _("evidence for the exceptional application"), blank=True
    )
    conditions_unverified = models.TextField(_("application conditions not verified"), blank=True)
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


class RosterImportPhase(models.TextChoices):
    """Where an uploaded roster is: checked for its preview, then imported on request (R-P5)."""

    CHECKING = "checking", _("being checked")
    CHECKED = "checked", _("checked, waiting on its preview")
    IMPORTING = "importing", _("being imported")
    IMPORTED = "imported", _("imported")
    FAILED = "failed", _("failed")


# A worker owes these phases some work; the beat resumes an import left in one of them.
WORKING_ROSTER_PHASES = [RosterImportPhase.CHECKING, RosterImportPhase.IMPORTING]


class RosterImport(Timestamped):
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

    class Meta(Timestamped.Meta):
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
