import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Timestamped(models.Model):
    """When a row was made and last saved; its lists show the newest first."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class UploadedFile(models.Model):
    """A file a user uploaded, checked by portal.core.uploads and sent back by
    portal.core.downloads under its original name. A concrete model adds `file` (with its
    `upload_to`) and what the file belongs to."""

    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=80)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    def store(self, upload, checked, *, stem: str) -> None:
        """Saves the row with `upload`, already checked (`checked`, a CheckedUpload). The stored
        name is `stem` with the extension of the checked content, never the one the user typed."""
        self.original_name = upload.name[:200]
        self.content_type = checked.content_type
        self.size = checked.size
        self.sha256 = checked.sha256
        self.file.save(f"{stem}.{checked.extension}", upload, save=False)
        self.save()


class BureauLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", pgettext_lazy("bureau level", "District")


class Bureau(models.Model):
    """A human-resources bureau; bureaus form a tree province → city → district."""

    name = models.CharField(_("name"), max_length=100)
    # The area the bureau serves (南山区); `name` is the bureau itself (南山区人力资源局).
    area = models.CharField(_("administrative area"), max_length=50, blank=True)
    code = models.CharField(_("code"), max_length=12, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=BureauLevel.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # A province's own certificate query site, printed under the national ones on the
    # certificates of its enterprises and shown on their public pages (seed 004 §三(三)).
    query_site_name = models.CharField(_("provincial query site"), max_length=100, blank=True)
    query_site_url = models.URLField(_("provincial query site address"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("bureau")
        verbose_name_plural = _("bureaus")
        constraints = [
            # A municipality (北京市) is a city with no province above it.
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True)
                | Q(level="city")
                | Q(level="district", parent__isnull=False),
                name="bureau_parent_matches_level",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area_name(self) -> str:
        return self.area or self.name

    @property
    def city(self) -> "Bureau | None":
        if self.level == BureauLevel.CITY:
            return self
        if self.level == BureauLevel.DISTRICT:
            return self.parent
        return None

    @property
    def province(self) -> "Bureau | None":
        """The province above (or this one); None for a municipality and its districts."""
        if self.level == BureauLevel.PROVINCE:
            return self
        city = self.city
        return city.parent if city is not None else None

    @property
    def top(self) -> "Bureau":
        """The highest bureau above this one: its province, or a municipality's centre."""
        return self.province or self.city

    @property
    def is_municipality(self) -> bool:
        return self.level == BureauLevel.CITY and self.parent_id is None

    @property
    def query_site(self) -> tuple[str, str] | None:
        """(name, address) of the provincial query site for this bureau's area, if its province
        (or municipality) keeps one."""
        top = self.top
        if top is None or not top.query_site_url:
            return None
        return top.query_site_name, top.query_site_url

    def chain(self) -> list["Bureau"]:
        """The bureaus from the top down to this one."""
        chain = [self]
        while chain[0].parent_id is not None:
            chain.insert(0, chain[0].parent)
        return chain


class MaterialKind(models.TextChoices):
    # R-F8 (seed 002 §六(一), seed 004 附件2)
    APPLICATION_FORM = "application_form", _("Application form")
    IMPLEMENTATION_SCHEME = "implementation_scheme", _("Implementation scheme")
    PAY_POLICY = "pay_policy", _("Training, assessment and pay policies")
    STANDARDS = "standards", _("Standards or evaluation norms per occupation")
    SITE_EVIDENCE = "site_evidence", _("Sites, equipment and video monitoring")
    BUSINESS_LICENCE = "business_licence", _("Business licence")
    EXAMINER_LIST = "examiner_list", _("Examiner list")
    QUESTION_BANK = "question_bank", _("Question bank list")
    # Seed 004 附件2, 4, 6 and 8.
    APPLICATION_CONDITIONS = (
        "application_conditions",
        _("Application conditions and exceptional conditions"),
    )
    OCCUPATION_LIST = "occupation_list", _("List of occupations (work types) and standards")
    TRAINING_SYLLABUS = "training_syllabus", _("Training syllabi and teaching materials list")
    OTHER = "other", _("Other")


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise operator")
    DISTRICT = "district", _("District reviewer")
    CITY = "city", _("City reviewer")
    PROVINCE = "province", _("Provincial reviewer")
    EXPERT = "expert", _("Expert")
    SUPERVISOR = "supervisor", _("Quality supervisor")


class Membership(models.Model):
    """What a user is in the portal: one role, anchored at a bureau or an enterprise."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    enterprise = models.ForeignKey(
        "filings.Enterprise",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="members",
    )
    # Administrators edit their bureau's policy values (and, at a city, the calendar).
    is_admin = models.BooleanField(_("administrator"), default=False)
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="enterprise", enterprise__isnull=False, bureau__isnull=True)
                | (~Q(role="enterprise") & Q(enterprise__isnull=True, bureau__isnull=False)),
                name="membership_anchor_matches_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    @property
    def city(self) -> Bureau | None:
        if self.enterprise_id:
            return self.enterprise.district.city
        return self.bureau.city if self.bureau else None

    @property
    def province(self) -> Bureau | None:
        if self.enterprise_id:
            return self.enterprise.district.province
        return self.bureau.province if self.bureau else None

    # Templates ask these flags (or the navigation), never compare role strings.
    @property
    def is_enterprise(self) -> bool:
        return self.role == Role.ENTERPRISE

    @property
    def is_district(self) -> bool:
        return self.role == Role.DISTRICT

    @property
    def is_city(self) -> bool:
        return self.role == Role.CITY

    @property
    def is_province(self) -> bool:
        return self.role == Role.PROVINCE

    @property
    def is_bureau(self) -> bool:
        return self.role in (Role.DISTRICT, Role.CITY, Role.PROVINCE)

    @property
    def is_expert(self) -> bool:
        return self.role == Role.EXPERT

    @property
    def is_supervisor(self) -> bool:
        return self.role == Role.SUPERVISOR

    @property
    def is_city_admin(self) -> bool:
        return self.role == Role.CITY and self.is_admin

    @property
    def is_policy_admin(self) -> bool:
        """An administrator of a bureau at any level: edits what that level's policy owns."""
        return self.is_bureau and self.is_admin


class AuditOutcome(models.TextChoices):
    DONE = "done", _("done")
    REFUSED = "refused", _("refused")
    FAILED = "failed", _("failed")


class AuditEventQuerySet(models.QuerySet):
    def delete(self):
        # The trail is kept AUDIT_RETENTION_DAYS at least (GB/T 22239-2019 8.1.4.3): no code
        # path deletes a younger row; the retention task deletes only what is older.
        cutoff = timezone.now() - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
        if self.filter(at__gte=cutoff).exists():
            raise ProtectedError(
                f"audit events younger than {settings.AUDIT_RETENTION_DAYS} days are kept",
                set(),
            )
        return super().delete()


class AuditEvent(models.Model):
    """Every state change and every security-relevant act: who, when, from where, what, the
    outcome. Rows are chained by a keyed hash once committed (portal.core.audit_chain)."""

    # Empty for an act on no stored object (a failed login under an unknown name).
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    note = models.TextField(blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=AuditOutcome.choices, default="done")
    # Place in the chain and HMAC over the previous link and this row; empty until sealed.
    seq = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    chain_hash = models.CharField(max_length=64, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            models.Index(fields=["at"], name="core_audit_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="audit_target_whole_or_none",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.from_status}→{self.to_status}"

    @property
    def action_display(self) -> str:
        from portal.core.audit import ACTION_LABELS

        return str(ACTION_LABELS.get(self.action, self.action))

    @property
    def from_display(self) -> str:
        from portal.core.audit import status_label

        return status_label(self.content_type_id, self.from_status)

    @property
    def to_display(self) -> str:
        from portal.core.audit import status_label

        return status_label(self.content_type_id, self.to_status)


class AuditChainHead(models.Model):
    """The last sealed link of the audit chain: a deleted tail shows as a head past the rows."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)
    sealed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.last_seq}:{self.last_hash}"


class CalendarYear(models.Model):
    """A year whose holidays and make-up working days have been entered.

    A date in a year without a row here has no calendar: deadlines in it are an error, not a guess.
    """

    year = models.PositiveIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Public holiday (day off)")
    MAKEUP_WORKDAY = "workday", _("Make-up working day")


class CalendarDay(models.Model):
    """An exception to 'Monday to Friday are working days'."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class Counter(models.Model):
    """A named gap-free sequence; `portal.core.counters.next_value` increments it under a lock."""

    key = models.CharField(max_length=100, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class BackgroundJob(Timestamped):
    """Long work done by a Celery worker, with the progress its page polls."""

    kind = models.CharField(max_length=40)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True
    )
    # What the job works on, e.g. {"plan": 12}; what it found, e.g. counts and problems.
    params = models.JSONField(default=dict)
    result = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    file = models.FileField(upload_to="jobs/", blank=True)

    class Meta(Timestamped.Meta):
        indexes = [models.Index(fields=["kind", "status"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.status}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0


class OutboxMessage(models.Model):
    """A Celery task to send, written in the transaction of the change that calls for it.

    The row commits or rolls back with the change, so work is never sent for a change that did
    not happen nor lost for one that did; portal.core.outbox sends it after the commit and its
    relay retries what the broker did not take. `available_at` is both "not before" (a delayed
    task) and the lease of whoever is sending the row.
    """

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    available_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [
            # The relay's only question: which unsent rows are due.
            models.Index(
                fields=["available_at"],
                condition=Q(sent_at__isnull=True),
                name="outbox_unsent_due",
            ),
            models.Index(fields=["sent_at"], name="outbox_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.task_name}{tuple(self.args)!r} #{self.pk}"


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords (portal.core.passwords): a new password may not
    be one of them, and the newest one's time is the password's age."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["user", "-changed_at"], name="password_history_newest")]

    def __str__(self) -> str:
        return f"{self.user} {self.changed_at:%Y-%m-%d}"


class PasswordChangeRequired(models.Model):
    """A password someone else set (an administrator creating or resetting the account): the
    user must replace it before using the portal; the row goes when they do."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_change_required"
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.user)


# The jurisdictions' rules (policies, windows) live beside this module; they are models of this
# app and are imported from here.
from portal.core.policy_models import (  # noqa: E402, F401
    ENTERPRISE_SIZE_RANK,
    ApplicationWindow,
    EnterpriseSize,
    Policy,
    WindowRepeat,
    default_examinee_categories,
    default_excluded_scope_keywords,
    default_required_materials,
)
