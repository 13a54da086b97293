import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from filings.levels import level_range_display
from portal.core.expert_review import ExpertOpinion
from portal.core.models import Bureau, EnterpriseSize, MaterialKind, UploadedFile
from portal.core.workflow import ReviewedRecord


class InstitutionKind(models.TextChoices):
    # R-K2 / R-M7: the certificate prefix letter follows the kind of institution.
    ENTERPRISE = "Y", _("Enterprise")
    SOCIAL_TRAINING_ORG = "S", _("Social training evaluation organisation")


class EnterpriseNature(models.TextChoices):
    STATE = "state", _("State-owned")
    FOREIGN = "foreign", _("Foreign-invested")
    PRIVATE = "private", _("Private")
    MIXED = "mixed", _("Mixed ownership")
    OTHER = "other", _("Other")


class AdministrationLevel(models.TextChoices):
    # R-F5: who the enterprise files with: through its district, with the city centre directly
    # (市属企业, seed 002 §六(一)), or with the provincial centre (省属企业, seed 004 §二(一)).
    DISTRICT = "district", _("District enterprise")
    CITY = "city", _("City-administered enterprise")
    PROVINCE = "province", _("Province-administered enterprise")


class EnterpriseStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting activation")
    ACTIVE = "active", _("Active")
    DISABLED = "disabled", _("Disabled")


class Enterprise(models.Model):
    name = models.CharField(_("enterprise name"), max_length=100)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    kind = models.CharField(
        _("institution kind"),
        max_length=1,
        choices=InstitutionKind.choices,
        default=InstitutionKind.ENTERPRISE,
    )
    nature = models.CharField(
        _("ownership"), max_length=10, choices=EnterpriseNature.choices, blank=True
    )
    district = models.ForeignKey(
        Bureau,
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"level": "district"},
        verbose_name=_("district"),
    )
    # The district the enterprise is registered in, whoever administers it.
    administration_level = models.CharField(
        _("administered by"),
        max_length=10,
        choices=AdministrationLevel.choices,
        default=AdministrationLevel.DISTRICT,
    )
    # R-F6: enterprises on the provincial pilot list skip the expert on-site evaluation.
    on_pilot_list = models.BooleanField(_("on the provincial pilot list"), default=False)
    address = models.CharField(_("address"), max_length=200)
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    contact_name = models.CharField(_("contact person"), max_length=50)
    contact_phone = models.CharField(_("contact phone"), max_length=20)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EnterpriseStatus.choices,
        default=EnterpriseStatus.PENDING,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [models.Index(fields=["district", "status"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # Filing.district copies this one for the reviewers' lists: keep them together.
        self.filings.exclude(district_id=self.district_id).update(district_id=self.district_id)

    @property
    def is_social_org(self) -> bool:
        return self.kind == InstitutionKind.SOCIAL_TRAINING_ORG

    @property
    def city_administered(self) -> bool:
        return self.administration_level == AdministrationLevel.CITY

    @property
    def province_administered(self) -> bool:
        return self.administration_level == AdministrationLevel.PROVINCE

    @property
    def routed_bureau(self) -> Bureau:
        """R-F5: the bureau that reviews and decides the enterprise's filings: the city of its
        district (a municipality's centre in Beijing), or for a province-administered one the
        provincial centre (seed 004 §二(一)); a municipality has none above its centre."""
        district = self.district
        if self.administration_level == AdministrationLevel.PROVINCE:
            return district.top
        return district.city


class OccupationKind(models.TextChoices):
    SKILL = "skill", _("Skill type")
    PROFESSIONAL = "professional", _("Professional/technical type")
    OTHER = "other", _("Other")


class Occupation(models.Model):
    """A row of the national occupation classification (职业分类大典)."""

    code = models.CharField(_("occupation code"), max_length=12, unique=True)
    name = models.CharField(_("occupation name"), max_length=60)
    kind = models.CharField(
        _("kind"), max_length=12, choices=OccupationKind.choices, default=OccupationKind.SKILL
    )
    # R-F2: access-type qualifications (准入类) cannot be self-assessed.
    access_type = models.BooleanField(_("access-type qualification"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class WorkType(models.Model):
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="work_types")
    name = models.CharField(_("work type"), max_length=60)

    class Meta:
        ordering = ["occupation__code", "name"]
        verbose_name = _("work type")
        verbose_name_plural = _("work types")
        constraints = [
            models.UniqueConstraint(fields=["occupation", "name"], name="work_type_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Recommendation(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for correction")
    REJECT = "reject", _("Reject")


class FilingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    DISTRICT_REVIEW = "district_review", _("District pre-review")
    CITY_REVIEW = "city_review", _("City review")
    EXPERT_REVIEW = "expert_review", _("Expert on-site evaluation")
    # Seed 002 §四, §六(三): the centre's proposed decision waits for a second officer.
    CONFIRMATION = "confirmation", _("Awaiting confirmation")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Filed")
    REJECTED = "rejected", _("Rejected")
    # Ended by a sanction (R-M3: removed from the directory; R-M2: cancelled for fraud).
    REMOVED = "removed", _("Removed from the directory")
    CANCELLED = "cancelled", _("Filing cancelled")


OPEN_FILING_STATUSES = [
    FilingStatus.DRAFT,
    FilingStatus.DISTRICT_REVIEW,
    FilingStatus.CITY_REVIEW,
    FilingStatus.EXPERT_REVIEW,
    FilingStatus.CONFIRMATION,
    FilingStatus.RETURNED,
]
UNDER_REVIEW_STATUSES = [
    FilingStatus.DISTRICT_REVIEW,
    FilingStatus.CITY_REVIEW,
    FilingStatus.EXPERT_REVIEW,
    FilingStatus.CONFIRMATION,
]
EDITABLE_FILING_STATUSES = [FilingStatus.DRAFT, FilingStatus.RETURNED]


def filing_status_label(status: str, reviewing_level: str = "") -> str:
    if status == FilingStatus.CITY_REVIEW and reviewing_level == "province":
        return str(_("Provincial review"))
    return str(FilingStatus(status).label)


class Filing(ReviewedRecord):
    """An enterprise's application to self-certify (备案), from draft to the public directory."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="filings")
    # The enterprise's district, copied (save() and Enterprise.save() keep it so): a district's
    # list then reads its own rows from one index instead of walking every district's filings.
    district = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="+", editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=FilingStatus.choices, default=FilingStatus.DRAFT
    )
    # R-F5: the bureau that reviews and decides the filing (its city, or the provincial centre
    # for a province-administered enterprise), set from the enterprise when the filing is saved
    # without one and again at submission.
    reviewing_bureau = models.ForeignKey(
        Bureau,
        on_delete=models.PROTECT,
        related_name="reviewed_filings",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("reviewing bureau"),
    )
    # Optimistic concurrency: a form posts the version it was rendered from.
    number = models.CharField(_("filing number"), max_length=30, unique=True, null=True, blank=True)

    # R-F1 facts declared by the enterprise, checked against the city's policy.
    independent_legal_person = models.BooleanField(_("independent legal person"), default=False)
    business_scope = models.TextField(_("business scope"), blank=True)
    good_credit = models.BooleanField(_("good credit record"), default=False)
    insured_employees = models.PositiveIntegerField(_("insured employees"), null=True, blank=True)
    enterprise_size = models.CharField(
        _("enterprise size"), max_length=10, choices=EnterpriseSize.choices, blank=True
    )
    has_pay_linkage = models.BooleanField(_("skill grades are linked to pay"), default=False)
    has_dedicated_staff = models.BooleanField(_("dedicated assessment staff"), default=False)
    # R-M7, seed 003 §二(一)2: a social training evaluation organisation's record instead.
    evaluating_since = models.DateField(
        _("training and evaluation work since"), null=True, blank=True
    )
    training_total = models.PositiveIntegerField(
        _("training and evaluation person-times in total"), null=True, blank=True
    )
    evaluation_total = models.PositiveIntegerField(
        _("of which evaluation person-times"), null=True, blank=True
    )
    # Seed 004 附件1, 一: the application form's basic information beside the enterprise's own.
    registration_authority = models.CharField(
        _("registration authority"), max_length=100, blank=True
    )
    principal_name = models.CharField(_("person in charge"), max_length=50, blank=True)
    principal_title = models.CharField(
        _("title of the person in charge"), max_length=50, blank=True
    )
    principal_phone = models.CharField(
        _("phone of the person in charge"), max_length=20, blank=True
    )
    contact_title = models.CharField(_("title of the contact person"), max_length=50, blank=True)
    contact_mobile = models.CharField(_("mobile of the contact person"), max_length=20, blank=True)
    filled_in_by = models.CharField(_("filled in by"), max_length=50, blank=True)
    filler_phone = models.CharField(_("phone of the person filling in"), max_length=20, blank=True)
    # Seed 004 附件1, 申请单位承诺: given at each submission, by whom and when.
    pledge_signatory = models.CharField(
        _("legal representative who gave the pledge"), max_length=50, blank=True
    )
    pledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("pledge submitted by"),
    )
    pledged_at = models.DateTimeField(_("pledge given at"), null=True, blank=True, editable=False)
    # Application form sections (seed 004 附件1, 二–四).
    situation = models.TextField(_("enterprise and skilled-workforce situation"), blank=True)
    site_and_equipment = models.TextField(_("sites and equipment"), blank=True)
    staff_and_examiners = models.TextField(_("dedicated staff and examiners"), blank=True)

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # R-F6: the 20-working-day clock runs from the day the city receives the filing.
    received_on = models.DateField(_("received by the city on"), null=True, blank=True)
    due_on = models.DateField(_("review due on"), null=True, blank=True)
    skip_onsite = models.BooleanField(_("on-site evaluation not required"), default=False)
    district_opinion = models.TextField(_("district pre-review opinion"), blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    correction_deadline = models.DateField(_("correct by"), null=True, blank=True)
    # Seed 002 §六(三): the decision the centre proposes, waiting for a second officer.
    proposed_decision = models.CharField(
        _("proposed decision"), max_length=10, choices=Recommendation.choices, blank=True
    )
    proposal_note = models.TextField(_("proposal opinion"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    proposed_on = models.DateField(_("proposed on"), null=True, blank=True)
    approved_on = models.DateField(_("filed on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    receipt_pdf = models.FileField(upload_to="receipts/", blank=True)

    class Meta(ReviewedRecord.Meta):
        verbose_name = _("filing")
        verbose_name_plural = _("filings")
        permissions = [("evaluate_filing", "Can evaluate the filing as an assigned expert")]
        constraints = [
            # One application at a time: a new one starts when the last is decided (R-F9).
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status__in=OPEN_FILING_STATUSES),
                name="filing_one_open_per_enterprise",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | Q(number__isnull=False, approved_on__isnull=False, valid_until__isnull=False),
                name="filing_approved_has_number",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["status", "valid_until"]),
            # The reviewers' filing list, last changed first.
            models.Index(fields=["-updated_at", "-id"], name="filing_recently_updated"),
            # A district's list (drafts are the enterprise's own): page 10 reads 200 entries.
            models.Index(
                fields=["district", "-updated_at", "-id"],
                condition=~Q(status="draft"),
                name="filing_district_updated",
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("Filing #%(id)s") % {"id": self.pk}

    def save(self, *args, **kwargs):
        if self.district_id is None and self.enterprise_id is not None:
            self.district_id = self.enterprise.district_id
        if self.reviewing_bureau_id is None and self.enterprise_id is not None:
            self.reviewing_bureau = self.enterprise.routed_bureau
        super().save(*args, **kwargs)

    @property
    def status_label(self) -> str:
        """The status as its reader says it: a filing a province reviews is under 省级审核, not
        the city's review (R-F5, seed 004 §二(一))."""
        return filing_status_label(self.status, self.reviewing_bureau_level)

    @property
    def reviewing_bureau_level(self) -> str:
        return self.reviewing_bureau.level if self.reviewing_bureau_id else ""

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_FILING_STATUSES


class StandardType(models.TextChoices):
    NATIONAL = "national", _("National standard")
    INDUSTRY = "industry", _("Industry standard")
    ENTERPRISE = "enterprise", _("Enterprise standard")


LEVEL_NAMES = {
    5: _("Level 5 / Junior worker"),
    4: _("Level 4 / Intermediate worker"),
    3: _("Level 3 / Senior worker"),
    2: _("Level 2 / Technician"),
    1: _("Level 1 / Senior technician"),
}


class FilingScopeLine(models.Model):
    """R-F3: occupation + work type + levels + standard type, with the R-F2 facts per line."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="scope_lines")
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, verbose_name=_("occupation")
    )
    work_type = models.ForeignKey(
        WorkType, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("work type")
    )
    levels = models.JSONField(_("levels"), default=list)
    standard_type = models.CharField(
        _("standard"), max_length=12, choices=StandardType.choices, default=StandardType.NATIONAL
    )
    workstations = models.PositiveIntegerField(_("workstations"), default=0)
    examiners = models.PositiveIntegerField(_("examiners"), default=0)
    applicants = models.PositiveIntegerField(_("employees applying"), default=0)
    related_to_main_business = models.BooleanField(
        _("related to the main business or front-line production"), default=False
    )
    # R-M7, seed 003 §二(一)2: an organisation's training and evaluation in this occupation.
    training_count = models.PositiveIntegerField(
        _("training and evaluation person-times in this occupation"), default=0
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("scope line")
        verbose_name_plural = _("scope lines")
        constraints = [
            models.UniqueConstraint(
                fields=["filing", "occupation", "work_type"],
                condition=Q(work_type__isnull=False),
                name="scope_line_unique_work_type",
            ),
            models.UniqueConstraint(
                fields=["filing", "occupation"],
                condition=Q(work_type__isnull=True),
                name="scope_line_unique_occupation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} {self.work_type or ''}"

    @property
    def levels_display(self) -> str:
        """In words, from the entry level up (R-M5): 五级至三级."""
        return level_range_display(self.levels)


def material_upload_to(instance: "FilingMaterial", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"materials/{instance.filing_id}/{uuid.uuid4().hex}.{extension}"


class FilingMaterial(UploadedFile):
    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("material"), max_length=25, choices=MaterialKind.choices)
    file = models.FileField(upload_to=material_upload_to)
    content_type = models.CharField(max_length=50)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        ordering = ["kind", "uploaded_at"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")


class ExpertAssignment(ExpertOpinion):
    """An expert sent to evaluate one filing on site (R-F6); the opinion and score they give."""

    filing = models.ForeignKey(Filing, on_delete=models.CASCADE, related_name="expert_assignments")
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="filing_assignments"
    )
    visited_on = models.DateField(_("on-site evaluation date"), null=True, blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    # The reviewing bureau's checklist in force when the expert was assigned (portal.core.
    # checklists), later with the expert's score and note on each item and the total; None: a
    # single score.
    checklist = models.JSONField(_("evaluation checklist"), null=True, blank=True)
    below_pass_reason = models.TextField(
        _("why approval is recommended below the pass mark"), blank=True
    )

    @property
    def checklist_items(self) -> list[dict]:
        return list((self.checklist or {}).get("items") or [])

    @property
    def below_pass_mark(self) -> bool:
        checklist = self.checklist or {}
        return "total" in checklist and checklist["total"] < checklist.get("pass_mark", 0)

    class Meta(ExpertOpinion.Meta):
        constraints = [
            models.UniqueConstraint(fields=["filing", "expert"], name="expert_assignment_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="expert_score_max_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.filing}"
