"""Entrusted evaluation agreements (委托评价协议, seed 004 §一(二)): an enterprise that evaluates
its own staff may evaluate another enterprise's staff under an agreement both sides sign and
both sides' bureaus approve (R-P3)."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models.schemes import EvaluationScheme
from filings.models import Enterprise
from portal.core.models import Bureau, UploadedFile
from portal.core.workflow import ReviewedRecord


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_CLIENT = "awaiting_client", _("Awaiting the client's confirmation")
    AWAITING_BUREAUS = "awaiting_bureaus", _("Awaiting the bureaus' approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


EDITABLE_AGREEMENT_STATUSES = [AgreementStatus.DRAFT, AgreementStatus.RETURNED]
WITHDRAWABLE_AGREEMENT_STATUSES = [
    AgreementStatus.DRAFT,
    AgreementStatus.AWAITING_CLIENT,
    AgreementStatus.AWAITING_BUREAUS,
    AgreementStatus.RETURNED,
    AgreementStatus.APPROVED,
]


class EntrustedAgreement(ReviewedRecord):
    """The agreement between the evaluating enterprise (the one with the filing and the schemes)
    and its client enterprise (委托方), for the occupations of the schemes, the levels and the
    period it names."""

    evaluator = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="agreements_as_evaluator",
        verbose_name=_("evaluating enterprise"),
    )
    client = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        related_name="agreements_as_client",
        verbose_name=_("client enterprise"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT
    )
    schemes = models.ManyToManyField(
        EvaluationScheme, related_name="agreements", verbose_name=_("evaluation schemes")
    )
    levels = models.JSONField(_("levels"), default=list)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    note = models.TextField(_("note"), blank=True)
    # The bureaus the agreement is filed with (seed 004 §一(二)): set at the client's
    # confirmation; one bureau when both parties answer to the same one.
    evaluator_bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    client_bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    evaluator_bureau_approved_on = models.DateField(null=True, blank=True, editable=False)
    client_bureau_approved_on = models.DateField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed by the client at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)

    class Meta(ReviewedRecord.Meta):
        verbose_name = _("entrusted evaluation agreement")
        verbose_name_plural = _("entrusted evaluation agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="agreement_valid_until_after_from",
            ),
            models.CheckConstraint(
                condition=~Q(client=models.F("evaluator")), name="agreement_client_not_evaluator"
            ),
        ]

    def __str__(self) -> str:
        return _("Entrusted evaluation agreement #%(id)s") % {"id": self.pk}

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_AGREEMENT_STATUSES

    def expired(self, today: dt.date) -> bool:
        return self.status == AgreementStatus.APPROVED and self.valid_until < today

    def status_text(self, today: dt.date) -> str:
        """The status as every party reads it: an approved agreement past its end is expired."""
        if self.expired(today):
            return str(_("Expired"))
        return self.get_status_display()

    @property
    def bureaus(self) -> list[Bureau]:
        found = [self.evaluator_bureau, self.client_bureau]
        return list({b.pk: b for b in found if b is not None}.values())

    def pending_bureau_ids(self) -> set[int]:
        pending = set()
        if self.evaluator_bureau_id and self.evaluator_bureau_approved_on is None:
            pending.add(self.evaluator_bureau_id)
        if self.client_bureau_id and self.client_bureau_approved_on is None:
            pending.add(self.client_bureau_id)
        return pending


def agreement_upload_to(instance: "AgreementDocument", filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"agreements/{instance.agreement_id}/{uuid.uuid4().hex}.{extension}"


class AgreementDocument(UploadedFile):
    """The signed agreement (and the evaluation plan agreed with it), as uploaded."""

    agreement = models.ForeignKey(
        EntrustedAgreement, on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(upload_to=agreement_upload_to)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
