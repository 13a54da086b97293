"""The full ID number is a deliberate, audited action (PIPL): "显示完整证件号" asks for
the purpose, shows the number of that one person, records who and why, and is not cached; the
full-number exports likewise. Only the enterprise for its own people and the reviewers who see
them may; for anyone else the object does not exist (404)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certificates.models import Certificate
from certificates.reports import services as certificate_services
from portal.core.masking import mask_id
from portal.core.models import AuditEvent
from tests.assessments.factories import PlanFactory, RosterEntryFactory, id_number
from tests.assessments.schemes.factories import ExaminerFactory
from tests.certificates.factories import issued_batch
from tests.support.factories import make_member

pytestmark = pytest.mark.django_db

NUMBER = id_number(7)
PURPOSE = "核对身份证原件"


@pytest.fixture
def sid(world):
    return make_member("sid", "supervisor", bureau=world["city"])


@pytest.fixture
def draft_entry(ent_a):
    return RosterEntryFactory(plan=PlanFactory(enterprise=ent_a), id_number=NUMBER, name="王五")


@pytest.fixture
def submitted_entry(ent_a):
    plan = PlanFactory(enterprise=ent_a, status="submitted")
    return RosterEntryFactory(plan=plan, id_number=NUMBER, name="王五")


def entry_url(entry) -> str:
    return reverse("roster_entry_id_number", args=[entry.plan_id, entry.pk])


def reveals() -> list[tuple]:
    return list(
        AuditEvent.objects.filter(action="id_number_revealed").values_list(
            "actor__username", "object_id", "note"
        )
    )


def test_alice_sees_the_full_number_only_after_giving_the_purpose(client, alice, draft_entry):
    client.force_login(alice)
    url = entry_url(draft_entry)
    form = client.get(url)
    page = form.content.decode()
    assert form.status_code == 200 and "no-store" in form["Cache-Control"]
    assert NUMBER not in page and mask_id(NUMBER) in page and "显示完整证件号" in page
    refused = client.post(url, {"purpose": ""})
    assert NUMBER not in refused.content.decode()
    assert "用途" in refused.content.decode()
    assert reveals() == []
    shown = client.post(url, {"purpose": PURPOSE})
    assert shown.status_code == 200
    assert NUMBER in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    assert reveals() == [("alice", draft_entry.pk, PURPOSE)]


def test_a_reveal_is_not_offered_on_a_get_and_shows_nothing_there(client, alice, draft_entry):
    client.force_login(alice)
    client.get(entry_url(draft_entry), {"purpose": PURPOSE})
    assert reveals() == []


def test_the_roster_page_offers_the_reveal_for_each_examinee(client, alice, draft_entry):
    client.force_login(alice)
    page = client.get(reverse("roster_detail", args=[draft_entry.plan_id])).content.decode()
    assert entry_url(draft_entry) in page
    assert reverse("roster_export_full", args=[draft_entry.plan_id]) in page


@pytest.mark.parametrize("persona", ["bob", "fred", "olga", "erin", "sam"])
def test_a_roster_entry_that_is_not_yours_is_a_404(client, request, persona, submitted_entry):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(entry_url(submitted_entry)).status_code == 404
    assert client.post(entry_url(submitted_entry), {"purpose": PURPOSE}).status_code == 404
    assert reveals() == []


def test_reviewers_see_a_roster_once_it_reached_them(client, dora, carl, draft_entry, ent_a):
    for reviewer in (dora, carl):
        client.force_login(reviewer)
        assert client.post(entry_url(draft_entry), {"purpose": PURPOSE}).status_code == 404
    submitted = RosterEntryFactory(plan=PlanFactory(enterprise=ent_a, status="submitted"))
    client.force_login(dora)
    shown = client.post(entry_url(submitted), {"purpose": "审核名册"})
    assert submitted.id_number in shown.content.decode()
    assert reveals() == [("dora", submitted.pk, "审核名册")]


def test_an_entry_is_found_only_under_its_own_plan(client, alice, draft_entry, ent_a):
    other = PlanFactory(enterprise=ent_a)
    client.force_login(alice)
    url = reverse("roster_entry_id_number", args=[other.pk, draft_entry.pk])
    assert client.post(url, {"purpose": PURPOSE}).status_code == 404


def test_examiner_reveal_is_for_the_enterprise_and_its_reviewers(
    client, alice, bob, carl, erin, ent_a
):
    examiner = ExaminerFactory(enterprise=ent_a, id_number=NUMBER)
    url = reverse("examiner_id_number", args=[examiner.pk])
    for user in (bob, erin):
        client.force_login(user)
        assert client.post(url, {"purpose": PURPOSE}).status_code == 404
    for user in (alice, carl):
        client.force_login(user)
        assert NUMBER in client.post(url, {"purpose": PURPOSE}).content.decode()
    assert [actor for actor, _pk, _note in reveals()] == ["alice", "carl"]
    client.force_login(alice)
    page = client.get(reverse("examiner_detail", args=[examiner.pk])).content.decode()
    assert url in page
    # The link, and the history naming each reveal with its purpose.
    assert page.count("显示完整证件号") == 3 and PURPOSE in page


def test_certificate_reveal_is_for_the_enterprise_and_its_reviewers(
    client, alice, bob, dora, olga, sid, ent_a
):
    issued_batch(ent_a, alice, "passed")
    certificate = Certificate.objects.get()
    url = reverse("certificate_id_number", args=[certificate.pk])
    for user in (bob, olga, sid):
        client.force_login(user)
        assert client.post(url, {"purpose": PURPOSE}).status_code == 404
    for user in (alice, dora):
        client.force_login(user)
        shown = client.post(url, {"purpose": PURPOSE})
        assert certificate.id_number in shown.content.decode()
    assert [actor for actor, _pk, _note in reveals()] == ["alice", "dora"]


def rows_of(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def test_the_full_roster_export_is_deliberate_and_recorded(client, alice, bob, submitted_entry):
    url = reverse("roster_export_full", args=[submitted_entry.plan_id])
    client.force_login(bob)
    assert client.post(url, {"purpose": PURPOSE}).status_code == 404
    client.force_login(alice)
    form = client.get(url)
    assert form["Content-Type"].startswith("text/html") and NUMBER not in form.content.decode()
    refused = client.post(url, {"purpose": " "})
    assert refused["Content-Type"].startswith("text/html")
    assert not AuditEvent.objects.filter(action="id_numbers_exported").exists()
    download = client.post(url, {"purpose": "报送人社部门"})
    assert "no-store" in download["Cache-Control"]
    assert rows_of(download.content)[2][5] == NUMBER
    event = AuditEvent.objects.get(action="id_numbers_exported")
    assert (event.actor, event.object_id) == (alice, submitted_entry.plan_id)
    assert "报送人社部门" in event.note


def test_the_full_certificate_report_is_the_enterprise_s_alone(client, alice, dora, ent_a):
    issued_batch(ent_a, alice, "passed")
    report = certificate_services.report_create(enterprise=ent_a, actor=alice)
    url = reverse("certificate_report_download_full", args=[report.pk])
    client.force_login(dora)
    assert client.post(url, {"purpose": PURPOSE}).status_code == 404
    client.force_login(alice)
    download = client.post(url, {"purpose": PURPOSE})
    assert rows_of(download.content)[2][5] == Certificate.objects.get().id_number
    assert AuditEvent.objects.filter(action="id_numbers_exported", actor=alice).count() == 1
