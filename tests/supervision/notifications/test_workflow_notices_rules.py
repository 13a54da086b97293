"""The rules every workflow notice follows: a user who turned e-mail off for a topic, or who has
no address, still gets the inbox entry; every announced step names an audit action a service
really records, and has a test here proving who hears of it."""

import ast
import datetime as dt
import pathlib
import re

import pytest
from django.apps import apps
from django.core import mail

from filings.filings import services as filing_services
from filings.review import services as review_services
from supervision.models import EmailPreference, ReminderDelivery
from supervision.notifications.events import ANNOUNCERS
from supervision.notifications.topics import Topic
from tests.supervision.complaints.matrix_complaint import complaint_about
from tests.supervision.notifications.notices import assert_told_once, deliver, kind_of, step
from tests.support.factories import complete_filing

ROOT = pathlib.Path(__file__).resolve().parents[3]
FRIDAY = dt.date(2026, 9, 25)


@pytest.fixture
def at_city(monkeypatch, ent_a, alice, amy, dora):
    monkeypatch.setattr(filing_services, "_today", lambda: FRIDAY)
    monkeypatch.setattr(review_services, "_today", lambda: FRIDAY)
    draft = complete_filing(ent_a, uploaded_by=alice)
    filing_services.filing_submit(filing=draft, actor=alice)
    review_services.filing_district_forward(filing=draft, actor=dora, opinion="同意上报。")
    draft.refresh_from_db()
    return draft


def return_filing(filing, carl):
    with step(kind_of("filings.filing", "return")) as record:
        review_services.filing_return(filing=filing, actor=carl, reason="请补充考评人员证书。")
    return record


def test_a_user_who_turned_email_off_for_the_topic_gets_the_inbox_entry_but_no_email(
    at_city, alice, amy, carl
):
    EmailPreference.objects.create(user=alice, topic=Topic.FILING, email=False)
    record = return_filing(at_city, carl)
    assert len(record.notes_of(alice)) == 1
    assert record.mails_to(alice) == []
    assert not ReminderDelivery.objects.filter(recipient=alice, kind=record.kind).exists()
    # The others who want e-mail still get theirs.
    assert len(record.mails_to(amy)) == 1


def test_email_turned_off_for_another_topic_still_mails_this_one(at_city, alice, amy, carl):
    EmailPreference.objects.create(user=alice, topic=Topic.SCHEME, email=False)
    EmailPreference.objects.create(user=alice, topic=Topic.FILING, email=True)
    record = return_filing(at_city, carl)
    assert_told_once(record, [alice, amy], untold=[carl])


def test_a_user_without_an_email_address_gets_the_inbox_entry_only(at_city, alice, amy, carl):
    alice.email = ""
    alice.save(update_fields=["email"])
    record = return_filing(at_city, carl)
    assert len(record.notes_of(alice)) == 1
    assert not ReminderDelivery.objects.filter(recipient=alice, kind=record.kind).exists()
    assert [message.to for message in record.mails] == [[amy.email]]


def test_an_officer_who_turned_supervision_email_off_gets_complaints_in_the_inbox_only(ent_a, dora):
    EmailPreference.objects.create(user=dora, topic=Topic.SUPERVISION, email=False)
    with step("complaint") as record:
        complaint_about(ent_a)
    assert len(record.notes_of(dora)) == 1
    assert record.mails_to(dora) == []


def test_the_sender_run_again_sends_nothing_more(at_city, alice, amy, carl):
    return_filing(at_city, carl)
    sent = len(mail.outbox)
    assert deliver() == 0
    assert len(mail.outbox) == sent


# Every announced step is real, and proven -------------------------------------------------------


def _product_sources() -> str:
    skipped = ("tests", "supervision/notifications", "demo", ".venv", "node_modules")
    texts = []
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(skipped) or "/migrations/" in relative:
            continue
        texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


def _recorded_actions(source: str) -> tuple[set[str], list[re.Pattern]]:
    """The audit actions services pass as `action=…`: the literal strings of those lines, and
    f-strings (action=f"certificate_{kind}") as patterns."""
    literal: set[str] = set()
    patterns: list[re.Pattern] = []
    for line in re.findall(r"\baction\s*=\s*([^\n]+)", source):
        for prefix, text in re.findall(r'(f?)"([^"]+)"', line):
            if prefix:
                parts = re.split(r"\{[^}]*\}", text)
                patterns.append(re.compile(r"\w+".join(re.escape(part) for part in parts)))
            else:
                literal.add(text)
    return literal, patterns


def test_every_announced_step_names_an_audit_action_a_service_records():
    literal, patterns = _recorded_actions(_product_sources())
    assert "filing_submit" not in literal  # the filing's submission is recorded as "submit"
    missing = [
        (label, action)
        for label, action in ANNOUNCERS
        if action not in literal and not any(p.fullmatch(action) for p in patterns)
    ]
    assert missing == [], f"announced, but no service records these actions: {missing}"


def test_every_announced_step_is_on_a_model_that_exists():
    for label, _action in ANNOUNCERS:
        app_label, model = label.split(".")
        assert apps.get_model(app_label, model)._meta.label_lower == label


def test_every_announced_step_has_a_test_proving_who_hears_of_it():
    """Each (model, action) of ANNOUNCERS is named in a test module of the workflow notices:
    the model's label and the action as string literals of the same module."""
    labels = {label for label, _action in ANNOUNCERS}
    covered = set()
    for path in pathlib.Path(__file__).parent.glob("test_workflow_notices_*.py"):
        if path.name == pathlib.Path(__file__).name:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        literals = {
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        }
        covered |= {(label, action) for label in labels & literals for action in literals}
    untested = sorted(set(ANNOUNCERS) - covered)
    assert untested == [], f"announced steps without a test of who hears of them: {untested}"
