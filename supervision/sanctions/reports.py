"""Seed 004 §四(四) (Shandong): "由各市报我厅移出自主评价目录，取消自主评价资格".

Where the policy has the province decide removals and bans (`removal_decided_by_province`),
the city reports the enterprise (`sanction_report`) and the provincial centre decides
(`sanction_report_decide`): it imposes the sanction, with the same effects as the city's own
elsewhere and the ban counted from its decision day, or it declines with its reason. The city
is told either way, the enterprise when a sanction is imposed.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from filings.eligibility import policy_for
from filings.models import Enterprise
from portal.core.audit import audit_record
from portal.core.errors import ServiceError
from portal.core.models import Role
from portal.core.roles import membership_of
from portal.core.workflow import locked, transition
from supervision.models import Evaluation, Inspection, ReportStatus, SanctionReport
from supervision.notifications.services import notify, notify_all
from supervision.sanctions.services import check_sanction, sanction_impose

IMPOSE = "impose"
DECLINE = "decline"


def province_decides(enterprise: Enterprise) -> bool:
    return bool(policy_for(enterprise).removal_decided_by_province)


def _province_reviewers(enterprise: Enterprise):
    province = enterprise.district.province
    return (
        get_user_model()
        .objects.filter(membership__role=Role.PROVINCE, membership__bureau=province, is_active=True)
        .order_by("pk")
    )


@transaction.atomic
def sanction_report(
    *,
    enterprise: Enterprise,
    kind: str,
    reason: str,
    actor,
    today: dt.date,
    inspection: Inspection | None = None,
    evaluation: Evaluation | None = None,
) -> SanctionReport:
    """The city reports the enterprise to the provincial centre for removal or cancellation."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if not province_decides(enterprise):
        raise ServiceError(_("The city decides sanctions of this enterprise itself."))
    if inspection is not None and inspection.enterprise_id != enterprise.pk:
        raise ServiceError(_("Inspection: it is not an inspection of this enterprise."))
    reason = check_sanction(enterprise, kind, reason, today)
    pending = enterprise.sanction_reports.filter(status=ReportStatus.PENDING).first()
    if pending is not None:
        raise ServiceError(
            _("The enterprise was already reported to the provincial centre on %(date)s.")
            % {"date": pending.reported_on.isoformat()}
        )
    report = SanctionReport.objects.create(
        enterprise=enterprise,
        kind=kind,
        reason=reason,
        inspection=inspection,
        evaluation=evaluation,
        reported_by=actor,
        reported_on=today,
    )
    audit_record(
        obj=report,
        actor=actor,
        action="sanction_report",
        to_status=ReportStatus.PENDING,
        note=f"{report.get_kind_display()}：{reason}",
    )
    url = reverse("sanction_report_detail", args=[report.pk])
    title = _("%(enterprise)s is reported for a decision: %(kind)s") % {
        "enterprise": enterprise.name,
        "kind": report.get_kind_display(),
    }
    notify_all(
        _province_reviewers(enterprise), kind="sanction_report", title=title, body=reason, url=url
    )
    return report


@transaction.atomic
def sanction_report_decide(
    *, report: SanctionReport, actor, decision: str, note: str, today: dt.date
) -> SanctionReport:
    """The provincial centre imposes the reported sanction (the ban runs from `today`) or
    declines it, saying why."""
    report = locked(
        report,
        statuses=[ReportStatus.PENDING],
        refusal=_("This report was already decided."),
    )
    membership = membership_of(actor)
    province = report.enterprise.district.province
    if membership is None or membership.role != Role.PROVINCE or membership.bureau != province:
        raise ServiceError(_("Only the provincial centre of the enterprise decides this report."))
    note = (note or "").strip()
    if decision == IMPOSE:
        sanction = sanction_impose(
            enterprise=report.enterprise,
            kind=report.kind,
            reason=report.reason,
            actor=actor,
            today=today,
            inspection=report.inspection,
            report=report,
        )
        report.sanction = sanction
        if report.evaluation_id is not None:
            Evaluation.objects.filter(pk=report.evaluation_id).update(sanction=sanction)
        to = ReportStatus.IMPOSED
    elif decision == DECLINE:
        if not note:
            raise ServiceError(_("Note: say why the sanction is declined."))
        to = ReportStatus.DECLINED
    else:
        raise ServiceError(_("Decision: choose to impose the sanction or to decline it."))
    report.decision_note = note
    report.decided_by = actor
    report.decided_on = today
    transition(
        report,
        actor=actor,
        to=to,
        action="sanction_report_decide",
        note=note,
        fields=["decision_note", "decided_by", "decided_on", "sanction"],
    )
    _tell_the_city(report)
    return report


def _tell_the_city(report: SanctionReport) -> None:
    """The reporting city learns the decision; an imposed sanction is told to the enterprise by
    sanction_impose, as everywhere."""
    if report.status == ReportStatus.IMPOSED:
        title = _("The province imposed the sanction on %(enterprise)s: %(kind)s") % {
            "enterprise": report.enterprise.name,
            "kind": report.get_kind_display(),
        }
    else:
        title = _("The province declined the sanction on %(enterprise)s") % {
            "enterprise": report.enterprise.name
        }
    if report.reported_by.is_active:
        notify(
            user=report.reported_by,
            kind="sanction_report",
            title=title,
            body=report.decision_note,
            url=reverse("sanction_report_detail", args=[report.pk]),
        )


AUDIT_ACTIONS = {
    "sanction_report": gettext_lazy("reported to the province for a sanction"),
    "sanction_report_decide": gettext_lazy("province decided the reported sanction"),
}
