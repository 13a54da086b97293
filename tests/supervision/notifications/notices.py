"""Helpers of the workflow notice tests: take a step, deliver the e-mails it queued, and check
who heard of it, once in the inbox and once by e-mail, and who did not.

`Step` records the notifications of one kind (topic.action) written while the step ran and the
e-mails the sender (supervision.reminders.delivery.reminders_send) delivered afterwards; what
earlier steps queued is delivered and set aside before."""

from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core import mail
from django.urls import reverse

from supervision.models import Notification
from supervision.notifications.events import ANNOUNCERS
from supervision.reminders.delivery import SUBJECT_PREFIX, reminders_send


@dataclass
class Step:
    kind: str
    notes: list = field(default_factory=list)
    mails: list = field(default_factory=list)

    def notes_of(self, user) -> list:
        return [note for note in self.notes if note.user_id == user.pk]

    def mails_to(self, user) -> list:
        return [message for message in self.mails if user.email in message.to]


def deliver() -> int:
    """Run the e-mail sender as the worker does."""
    return reminders_send(limit=100)


@contextmanager
def step(kind: str):
    """Notifications of `kind` written inside the block, e-mails delivered after it."""
    deliver()
    mail.outbox.clear()
    before = set(Notification.objects.values_list("pk", flat=True))
    record = Step(kind=kind)
    yield record
    record.notes = list(Notification.objects.filter(kind=kind).exclude(pk__in=before))
    deliver()
    record.mails = list(mail.outbox)


def kind_of(model_label: str, action: str) -> str:
    announcer = ANNOUNCERS[(model_label, action)]
    return f"{announcer.topic}.{action}"[:40]


def assert_told_once(record: Step, told, *, untold=(), title: str = "", url: str = "") -> None:
    """Exactly `told` got one inbox entry each of the step and one e-mail each, whose subject
    carries the portal's prefix and the title and whose text links to `url`; `untold` got
    neither; the sender, run again, sends nothing more."""
    told = list(told)
    assert told, "a step that tells nobody proves nothing"
    heard = sorted(note.user.username for note in record.notes)
    assert heard == sorted(user.username for user in told), f"{record.kind} told {heard}"
    for user in told:
        (note,) = record.notes_of(user)
        if title:
            assert title in note.title
        if url:
            assert note.url == url
        (message,) = record.mails_to(user)
        assert message.to == [user.email]
        assert message.subject.startswith(SUBJECT_PREFIX)
        assert note.title in message.subject
        assert settings.PORTAL_BASE_URL + note.url in message.body
    for user in untold:
        assert not record.notes_of(user), f"{user} was told"
        assert not record.mails_to(user), f"{user} got an e-mail"
    # Nothing of this step went to anyone else by e-mail.
    addresses = {user.email for user in told}
    for message in record.mails:
        if any(note.title in message.subject for note in record.notes):
            assert set(message.to) <= addresses
    assert deliver() == 0
    assert len(mail.outbox) == len(record.mails)


def assert_link_opens(client, record: Step, users) -> None:
    """Each recipient opens the notification from the inbox, lands on its page (status 200)
    and the notification is read."""
    for user in users:
        (note,) = record.notes_of(user)
        client.force_login(user)
        response = client.get(
            reverse("notification_open", kwargs={"notification_id": note.pk}), follow=True
        )
        assert response.status_code == 200, (user, note.url, response.status_code)
        assert response.redirect_chain[-1][0] == note.url, (user, response.redirect_chain)
        note.refresh_from_db()
        assert note.read_at is not None
    client.logout()
