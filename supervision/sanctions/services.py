"""Sanctions (R-M2, R-M3, R-M6): a filing cancelled for fraud (5-year ban) or an enterprise removed
from the directory after its yearly evaluation (2-year ban).

`sanction_impose` ends the enterprise's approved filing in the same transaction, so the directory
(approved filings only) drops it at once, and the ban itself is read by filings.eligibility
(`active_ban`: `ban_until` inclusive), which refuses a new filing until the day after.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from certificates.models import Certificate
from filings.eligibility import active_ban, policy_for
from filings.models import Enterprise, Filing, FilingStatus
from portal.core.audit import audit_record
from portal.core.errors import ServiceError
from portal.core.workflow import transition
from supervision.models import BAN_YEARS, Inspection, Sanction, SanctionKind, SanctionReport
from supervision.notifications.services import notify_all

# The filing status a sanction of each kind leaves behind.
FILING_END = {
    SanctionKind.REMOVED: FilingStatus.REMOVED,
    SanctionKind.CANCELLED: FilingStatus.CANCELLED,
}
FILING_ACTION = {SanctionKind.REMOVED: "sanction_remove", SanctionKind.CANCELLED: "sanction_cancel"}


def ban_end(decided_on: dt.date, years: int) -> dt.date:
    """The same day `years` later; a ban decided on 29 February ends on 28 February."""
    try:
        return decided_on.replace(year=decided_on.year + years)
    except ValueError:
        return decided_on.replace(year=decided_on.year + years, day=28)


def _d(day: dt.date) -> str:
    return date_format(day, "Y-m-d")


@transaction.atomic
def sanction_impose(
    *,
    enterprise: Enterprise,
    kind: str,
    reason: str,
    actor,
    today: dt.date,
    inspection: Inspection | None = None,
    report: SanctionReport | None = None,
) -> Sanction:
    """R-M2 (cancelled, 5 years) or R-M3 (removed, 2 years): end the filing, ban, tell the
    enterprise. Where the province decides removals and bans (seed 004 §四(四)), only its
    decision on the city's `report` imposes one (supervision.sanctions.reports)."""
    if report is None and policy_for(enterprise).removal_decided_by_province:
        raise ServiceError(
            _(
                "The provincial centre decides removals and bans of this enterprise: report it "
                "to the province instead."
            )
        )
    # Lock the enterprise: two bureaus sanctioning at once must not make two bans.
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if inspection is not None and inspection.enterprise_id != enterprise.pk:
        raise ServiceError(_("Inspection: it is not an inspection of this enterprise."))
    reason = check_sanction(enterprise, kind, reason, today)
    filing = (
        Filing.objects.select_for_update()
        .filter(enterprise=enterprise, status=FilingStatus.APPROVED)
        .order_by("-approved_on", "-pk")
        .first()
    )
    sanction = Sanction.objects.create(
        enterprise=enterprise,
        kind=kind,
        decided_on=today,
        ban_until=ban_end(today, BAN_YEARS[kind]),
        reason=reason,
        decided_by=actor,
        filing=filing,
    )
    if filing is not None:
        transition(
            filing, actor=actor, to=FILING_END[kind], action=FILING_ACTION[kind], note=reason
        )
    note = reason
    if inspection is not None:
        note = _("%(reason)s (inspection: %(inspection)s)") % {
            "reason": reason,
            "inspection": inspection,
        }
    audit_record(obj=sanction, actor=actor, action="sanction_impose", to_status=kind, note=note)
    _notify_enterprise(sanction)
    return sanction


def check_sanction(enterprise: Enterprise, kind: str, reason: str, today: dt.date) -> str:
    """The checks of a sanction or a report of one: the kind, the reason (returned stripped)
    and no ban running already."""
    if kind not in BAN_YEARS:
        raise ServiceError(
            _("Sanction: choose “removed from the directory” or “filing cancelled”.")
        )
    reason = (reason or "").strip()
    if not reason:
        # R-M6
        raise ServiceError(_("Reason: state why the enterprise is sanctioned."))
    running = active_ban(enterprise, today)
    if running is not None:
        raise ServiceError(
            _(
                "The enterprise is already sanctioned (%(kind)s on %(date)s, no new filing until "
                "%(until)s); a second sanction cannot be imposed while that one runs."
            )
            % {
                "kind": running.get_kind_display(),
                "date": _d(running.decided_on),
                "until": _d(running.ban_until),
            }
        )
    return reason


def _notify_enterprise(sanction: Sanction) -> None:
    users = get_user_model().objects.filter(
        membership__enterprise=sanction.enterprise, is_active=True
    )
    title = _("%(kind)s: no new filing until %(until)s") % {
        "kind": sanction.get_kind_display(),
        "until": _d(sanction.ban_until),
    }
    notify_all(
        users.order_by("pk"),
        kind="sanction",
        title=title,
        body=sanction.reason,
        url=reverse("public_sanction_list"),
    )


def certificates_after_cancellation(*, city):
    """Certificates an enterprise of the city issued on or after its filing was cancelled
    (R-M2): they should not exist, so the city looks at each one."""
    from django.db.models import Exists, OuterRef

    cancelled = Sanction.objects.filter(
        enterprise=OuterRef("enterprise"),
        kind=SanctionKind.CANCELLED,
        decided_on__lte=OuterRef("issued_on"),
    )
    return (
        Certificate.objects.filter(enterprise__district__parent=city)
        .filter(Exists(cancelled))
        .select_related("enterprise")
        .order_by("enterprise__name", "issued_on", "pk")
    )
