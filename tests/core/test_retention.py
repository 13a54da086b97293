"""Personal data is kept no longer than its retention period (PIPL), each kind by its own
setting; beat's apply-retention anonymises or deletes what expired, one audit row per record,
and never what a rule still requires: assessment evidence stays 2 years whatever the setting
(R-C1, seed 001 §六(三)2)."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.models import ImplementationPlan, RosterEntry, SessionEvidence
from portal.core.models import AuditEvent
from portal.core.tasks import apply_retention
from supervision.complaints.services import complaint_submit
from supervision.models import Complaint
from tests.assessments.factories import PlanFactory, RosterEntryFactory
from tests.assessments.results.factories import acknowledged_plan
from tests.support.factories import MINIMAL_PDF

DAY = dt.timedelta(days=1)


def _complaint(enterprise, *, answered_days_ago: int | None) -> Complaint:
    complaint = complaint_submit(
        data={
            "enterprise_name": "",
            "category": "cheating",
            "subject": "理论考试有人替考",
            "body": "考场二有两名考生由他人代考。",
            "contact_name": "王建华",
            "contact_phone": "13812345678",
            "contact_email": "wang@example.cn",
        },
        enterprise=enterprise,
        city=None,
        files=[],
        today=timezone.localdate(),
    )
    if answered_days_ago is not None:
        Complaint.objects.filter(pk=complaint.pk).update(
            answered_at=timezone.now() - answered_days_ago * DAY
        )
    return complaint


def test_complainants_contacts_are_removed_after_the_period_but_the_complaint_stays(
    ent_a, settings
):
    settings.RETENTION_COMPLAINT_CONTACT_DAYS = 365
    old = _complaint(ent_a, answered_days_ago=366)
    recent = _complaint(ent_a, answered_days_ago=300)
    open_one = _complaint(ent_a, answered_days_ago=None)

    assert apply_retention()["complaint_contacts"] == 1

    old.refresh_from_db()
    assert (old.contact_name, old.contact_phone, old.contact_email) == ("—", "", "")
    assert old.subject == "理论考试有人替考"
    for kept in (recent, open_one):
        kept.refresh_from_db()
        assert kept.contact_phone == "13812345678"
    assert AuditEvent.objects.filter(action="complaint_contact_expired", object_id=old.pk).exists()
    # A second run finds nothing more to do.
    assert apply_retention()["complaint_contacts"] == 0


def test_the_roster_of_a_plan_left_unsubmitted_is_removed_after_the_period(ent_a, settings):
    settings.RETENTION_UNUSED_ROSTER_DAYS = 180
    abandoned = PlanFactory(enterprise=ent_a)
    RosterEntryFactory(plan=abandoned)
    RosterEntryFactory(plan=abandoned)
    ImplementationPlan.objects.filter(pk=abandoned.pk).update(updated_at=timezone.now() - 181 * DAY)
    working = PlanFactory(enterprise=ent_a)
    RosterEntryFactory(plan=working)
    acknowledged = acknowledged_plan(ent_a)
    RosterEntryFactory(plan=acknowledged)
    ImplementationPlan.objects.filter(pk=acknowledged.pk).update(
        updated_at=timezone.now() - 900 * DAY
    )

    assert apply_retention()["unsubmitted_rosters"] == 2

    assert not RosterEntry.objects.filter(plan=abandoned).exists()
    assert ImplementationPlan.objects.filter(pk=abandoned.pk).exists()
    assert RosterEntry.objects.filter(plan__in=[working, acknowledged]).count() == 2
    note = AuditEvent.objects.get(action="roster_expired", object_id=abandoned.pk).note
    assert "2" in note


def _evidence(plan, by, *, uploaded_days_ago: int) -> SessionEvidence:
    uploaded = timezone.now() - uploaded_days_ago * DAY
    evidence = SessionEvidence(
        session=plan.sessions.get(),
        kind="document",
        original_name="考场签到表.pdf",
        content_type="application/pdf",
        size=len(MINIMAL_PDF),
        sha256="0" * 64,
        uploaded_by=by,
        retain_until=(uploaded + 730 * DAY).date(),
    )
    evidence.file.save("session.pdf", ContentFile(MINIMAL_PDF), save=False)
    evidence.save()
    SessionEvidence.objects.filter(pk=evidence.pk).update(uploaded_at=uploaded)
    return evidence


@pytest.mark.django_db(transaction=True)
def test_r_c1_evidence_is_never_deleted_before_two_years_whatever_the_setting(
    ent_a, alice, settings
):
    settings.RETENTION_EVIDENCE_DAYS = 30  # shorter than R-C1 allows: the rule wins
    plan = acknowledged_plan(ent_a)
    young = _evidence(plan, alice, uploaded_days_ago=400)
    old = _evidence(plan, alice, uploaded_days_ago=3 * 365)
    storage, old_file = old.file.storage, old.file.name

    assert apply_retention()["assessment_evidence"] == 1

    assert list(SessionEvidence.objects.values_list("pk", flat=True)) == [young.pk]
    assert not storage.exists(old_file)
    assert storage.exists(young.file.name)
    assert AuditEvent.objects.filter(action="evidence_expired", object_id=plan.pk).exists()
