"""Supervision (R-M1 … R-M7, R-C2, R-C3): random draws, inspections and their findings,
complaints, annual reports and evaluations, sanctions, reminders and in-app notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.core.models import UploadedFile
from portal.core.workflow import Versioned

# The inbox and the delivery rows of reminders and notifications have their own module.
from supervision.notification_models import (  # noqa: F401
    Channel,
    DeliveryStatus,
    EmailPreference,
    Notification,
    ReminderDelivery,
)


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
    # The filing the sanction ended (removed or cancelled); none when the enterprise had none.
    filing = models.ForeignKey(
        "filings.Filing",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sanctions",
        verbose_name=_("filing"),
    )
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


# ---------------------------------------------------------------------------------------------
# Random draws (双随机一公开, R-M1, R-C2)


class SupervisorProfile(Versioned):
    """A quality supervisor in the city's pool (督导员名录): who may be drawn, and where they work,
    so a draw never sends them to their own enterprise."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="supervisor_profile"
    )
    city = models.ForeignKey(
        "core.Bureau", on_delete=models.PROTECT, related_name="supervisors", verbose_name=_("city")
    )
    employer = models.ForeignKey(
        "filings.Enterprise",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("works at (filed enterprise)"),
    )
    employer_name = models.CharField(_("work unit"), max_length=100, blank=True)
    active = models.BooleanField(_("in the draw pool"), default=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("quality supervisor")
        verbose_name_plural = _("quality supervisors")

    def __str__(self) -> str:
        membership = getattr(self.user, "membership", None)
        return (membership.full_name if membership else "") or self.user.get_username()


class DrawKind(models.TextChoices):
    ENTERPRISES = "enterprises", _("Filed enterprises")
    SESSIONS = "sessions", _("Upcoming assessment sessions")


class Draw(models.Model):
    """One random draw of targets and supervisors. Every input is recorded (seed, the ordered
    candidates with their weights, the supervisor pool, the conflicts), so anyone can run the
    published algorithm again and get the same result (supervision/draws/algorithm.py,
    `draw_replay`)."""

    city = models.ForeignKey(
        "core.Bureau", on_delete=models.PROTECT, related_name="draws", verbose_name=_("city")
    )
    # The district that drew among its own enterprises where the city delegates draws (seed 000
    # §五); empty for the city's own draw. Either way `city` is the city whose pool was drawn.
    district = models.ForeignKey(
        "core.Bureau",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="district_draws",
        verbose_name=_("district"),
    )
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("targets"), max_length=12, choices=DrawKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    seed = models.CharField(_("seed"), max_length=64)
    algorithm = models.CharField(_("algorithm"), max_length=20, default="weighted-v1")
    target_count = models.PositiveSmallIntegerField(_("number of targets"))
    supervisors_per_target = models.PositiveSmallIntegerField(
        _("supervisors per target"), default=2
    )
    # [[target id, weight], …] in the order the algorithm reads them.
    candidates = models.JSONField(default=list)
    # [user id, …] of the active pool at the time of the draw.
    pool = models.JSONField(default=list)
    # {"target id": [user id, …]}: who may not inspect which target, and why (in `conflict_notes`).
    conflicts = models.JSONField(default=dict)
    conflict_notes = models.JSONField(default=list)
    # Candidates drawn but passed over because too few supervisors were free of conflicts.
    skipped = models.JSONField(default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        ordering = ["-drawn_at", "-pk"]
        verbose_name = _("random draw")
        verbose_name_plural = _("random draws")

    def __str__(self) -> str:
        return self.title


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("To be inspected")
    REPORTED = "reported", _("Findings recorded")
    CLOSED = "closed", _("Closed")


class InspectionConclusion(models.TextChoices):
    COMPLIANT = "compliant", _("No problems found")
    RECTIFY = "rectify", _("Problems to rectify")
    SERIOUS = "serious", _("Serious violations")


class Inspection(Versioned):
    """One drawn target: an enterprise, or one of its sessions, and the supervisors sent."""

    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="inspections")
    position = models.PositiveSmallIntegerField()
    enterprise = models.ForeignKey(
        "filings.Enterprise",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("enterprise"),
    )
    session = models.ForeignKey(
        "assessments.AssessmentSession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("session"),
    )
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="InspectionAssignment", related_name="inspections"
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InspectionStatus.choices,
        default=InspectionStatus.PLANNED,
    )
    # {"item key": {"result": "ok" | "problem" | "na", "note": "…"}}
    checklist = models.JSONField(_("checklist"), default=dict)
    visited_on = models.DateField(_("inspected on"), null=True, blank=True)
    conclusion = models.CharField(
        _("conclusion"), max_length=10, choices=InspectionConclusion.choices, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    # What the public page shows once the inspection is closed (一公开).
    public_result = models.TextField(_("published result"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["draw", "position"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        permissions = [("inspect_inspection", "Can inspect as an assigned quality supervisor")]
        constraints = [
            models.UniqueConstraint(fields=["draw", "position"], name="inspection_position"),
        ]
        indexes = [models.Index(fields=["enterprise", "status"])]

    def __str__(self) -> str:
        return f"{self.draw} · {self.enterprise}"


class InspectionAssignment(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="assignments")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_assignments"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "supervisor"], name="inspection_supervisor_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection} · {self.supervisor}"


class FindingSeverity(models.TextChoices):
    MINOR = "minor", _("Minor")
    SERIOUS = "serious", _("Serious")
    FRAUD = "fraud", _("Fraud or organised cheating")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Awaiting rectification")
    ANSWERED = "answered", _("Rectification reported")
    CLOSED = "closed", _("Closed")
    NOTED = "noted", _("Noted, no rectification required")


class Finding(Versioned):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    description = models.TextField(_("finding"))
    severity = models.CharField(
        _("severity"), max_length=10, choices=FindingSeverity.choices, default="minor"
    )
    rule = models.CharField(_("rule"), max_length=20, blank=True)
    rectification = models.TextField(_("rectification required"), blank=True)
    rectify_by = models.DateField(_("rectify by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    response = models.TextField(_("enterprise's answer"), blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    bureau_note = models.TextField(_("bureau's note"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="open") | Q(rectify_by__isnull=False),
                name="finding_open_has_deadline",
            )
        ]
        indexes = [models.Index(fields=["status", "rectify_by"])]

    def __str__(self) -> str:
        return self.description[:40]


class AttachmentSide(models.TextChoices):
    EVIDENCE = "evidence", _("Evidence")
    RESPONSE = "response", _("Rectification evidence")


class FindingAttachment(UploadedFile):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="attachments")
    side = models.CharField(max_length=10, choices=AttachmentSide.choices)
    file = models.FileField(upload_to="findings/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        ordering = ["pk"]


# ---------------------------------------------------------------------------------------------
# Complaints (R-M5)


class ComplaintCategory(models.TextChoices):
    CHEATING = "cheating", _("Cheating, substitutes or fraud in an assessment")
    CERTIFICATE = "certificate", _("Certificate problems")
    FEES = "fees", _("Fees charged")
    CONDUCT = "conduct", _("Conduct of examiners or staff")
    OTHER = "other", _("Other")


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    HANDLING = "handling", _("Being handled")
    ANSWERED = "answered", _("Answered")


class Complaint(Versioned):
    # Given to the complainant; with the phone's last 4 digits it opens the follow-up page.
    reference = models.CharField(_("reference number"), max_length=20, unique=True)
    city = models.ForeignKey("core.Bureau", on_delete=models.PROTECT, related_name="+")
    # The responsible bureau: the enterprise's district, or the city for city-administered ones.
    bureau = models.ForeignKey(
        "core.Bureau",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("handled by"),
    )
    enterprise = models.ForeignKey(
        "filings.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("enterprise"),
    )
    enterprise_name = models.CharField(_("institution complained about"), max_length=100)
    category = models.CharField(_("category"), max_length=12, choices=ComplaintCategory.choices)
    subject = models.CharField(_("subject"), max_length=100)
    body = models.TextField(_("what happened"))
    contact_name = models.CharField(_("your name"), max_length=50)
    contact_phone = models.CharField(_("your phone"), max_length=20)
    contact_email = models.EmailField(_("your e-mail"), blank=True)
    # Anyone may type any address: nothing about the complaint is mailed to it before its owner
    # confirms it by the link mailed there (supervision.complaints.services).
    contact_email_confirmed_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Answer shown to the complainant on the follow-up page.
    answer = models.TextField(_("answer"), blank=True)
    # Internal: what was checked, substantiated or not.
    finding = models.TextField(_("handling notes"), blank=True)
    substantiated = models.BooleanField(_("substantiated"), null=True, blank=True)
    answer_due_on = models.DateField(_("answer due on"), null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["bureau", "status"])]

    def __str__(self) -> str:
        return self.reference


class ComplaintAttachment(UploadedFile):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="complaints/")

    class Meta:
        ordering = ["pk"]


# ---------------------------------------------------------------------------------------------
# Annual duties (R-M3, R-M4)


class AnnualReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class AnnualReport(Versioned):
    """R-M4: at the start of `year`, last year's summary and this year's plan."""

    enterprise = models.ForeignKey(
        "filings.Enterprise", on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AnnualReportStatus.choices,
        default=AnnualReportStatus.DRAFT,
    )
    summary = models.TextField(_("summary of last year's work"), blank=True)
    plan = models.TextField(_("this year's assessment plan"), blank=True)
    planned_examinees = models.PositiveIntegerField(_("examinees planned"), null=True, blank=True)
    # Last year's figures as the portal counted them when the report was submitted.
    figures = models.JSONField(default=dict)
    due_on = models.DateField(_("due on"))
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "enterprise__name"]
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="annual_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


class EvaluationOutcome(models.TextChoices):
    GOOD = "good", _("Good")
    QUALIFIED = "qualified", _("Qualified")
    RECTIFY = "rectify", _("Rectification required")
    # R-M3
    REMOVE = "remove", _("Remove from the directory")


class Evaluation(models.Model):
    """R-M3: the yearly evaluation of an enterprise filed for a year or more."""

    enterprise = models.ForeignKey(
        "filings.Enterprise", on_delete=models.PROTECT, related_name="evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year evaluated"))
    # The scorecard as computed when decided: {"metric": {"value": …, "points": …}, …}
    scorecard = models.JSONField(default=dict)
    score = models.PositiveSmallIntegerField(_("score"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=EvaluationOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided on"))
    sanction = models.OneToOneField(
        Sanction, on_delete=models.PROTECT, null=True, blank=True, related_name="evaluation"
    )

    class Meta:
        ordering = ["-year", "enterprise__name"]
        verbose_name = _("annual evaluation")
        verbose_name_plural = _("annual evaluations")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="evaluation_once")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.year}"


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the provincial decision")
    IMPOSED = "imposed", _("Sanction imposed by the province")
    DECLINED = "declined", _("Declined by the province")


class SanctionReport(Versioned):
    """Seed 004 §四(四): where the province decides removals and bans, the city reports the
    enterprise and the province imposes the sanction (from its decision day) or declines."""

    enterprise = models.ForeignKey(
        "filings.Enterprise", on_delete=models.PROTECT, related_name="sanction_reports"
    )
    kind = models.CharField(_("sanction"), max_length=10, choices=SanctionKind.choices)
    reason = models.TextField(_("reason"))
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, null=True, blank=True)
    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, null=True, blank=True, related_name="report"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_on = models.DateField(_("reported on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    decision_note = models.TextField(_("decision note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    sanction = models.OneToOneField(
        Sanction, on_delete=models.PROTECT, null=True, blank=True, related_name="report"
    )

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("sanction report")
        verbose_name_plural = _("sanction reports")

    def __str__(self) -> str:
        return f"{self.enterprise} {self.get_kind_display()}"


# ---------------------------------------------------------------------------------------------
# Notifications and reminders
