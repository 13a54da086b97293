"""Rosters as personal data (PIPL): uploads never imported, and the rosters of plans their
enterprise left unsubmitted, go once their retention period (portal.core.retention) is over."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import EDITABLE_PLAN_STATUSES, ImplementationPlan, RosterEntry
from assessments.rosters.services import roster_imports_purge
from portal.core.audit import audit_record, register_labels
from portal.core.retention import RetentionRule, register


def expire_uploads(before) -> int:
    return roster_imports_purge(older_than=timezone.now() - before)


def expire_unsubmitted_rosters(before) -> int:
    """The roster of a draft or returned plan nobody touched since `before`: the plan stays,
    its people go (the enterprise imports them again if it takes the plan up)."""
    plans = ImplementationPlan.objects.filter(
        status__in=EDITABLE_PLAN_STATUSES, updated_at__lt=before, roster__isnull=False
    ).distinct()
    count = 0
    for plan in plans:
        with transaction.atomic():
            deleted, _by_model = RosterEntry.objects.filter(plan=plan).delete()
            audit_record(
                obj=plan,
                actor=None,
                action="roster_expired",
                note=_("%(count)s people removed after the retention period") % {"count": deleted},
            )
        count += deleted
    return count


def register_roster_retention() -> None:
    register_labels(actions={"roster_expired": _("roster removed (retention period over)")})
    register(
        RetentionRule(
            kind="roster_uploads",
            label=_("Uploaded rosters never imported"),
            setting="RETENTION_ROSTER_UPLOAD_DAYS",
            expire=expire_uploads,
        )
    )
    register(
        RetentionRule(
            kind="unsubmitted_rosters",
            label=_("Rosters of plans never submitted"),
            setting="RETENTION_UNUSED_ROSTER_DAYS",
            expire=expire_unsubmitted_rosters,
        )
    )
