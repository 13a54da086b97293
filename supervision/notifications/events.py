"""Every step of a workflow tells the people who must act next, or should know: one listener on
the audit trail (portal.core.audit.recorded) looks the step up in ANNOUNCERS and notifies.

An announcer reads the object and the audit row and returns the notices of the step: who, what
title, what text. The person who took the step is not told of it (except where `tell_actor`
says, for work the worker finishes after they left). A notice goes to the inbox in the same
transaction as the step, and by e-mail through the worker where the user wants it
(supervision.notifications.services), once per user and step (and per page, where one step
tells of several: a supervisor drawn for two inspections)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import translation

from portal.core.models import AuditOutcome
from supervision.notifications.services import notify_all, start_email_sender

logger = logging.getLogger(__name__)


@dataclass
class Notice:
    recipients: list
    title: str
    body: str = ""
    url: str = ""  # where it differs from the object's page


@dataclass(frozen=True)
class Announcer:
    topic: str
    notices: Callable  # (obj, event) -> list[Notice]
    url: Callable  # (obj) -> str
    tell_actor: bool = False


# (model label, audit action) → Announcer; filled by supervision.notifications.announcements.
ANNOUNCERS: dict[tuple[str, str], Announcer] = {}


def announces(model_label: str, *actions: str, topic: str, url: Callable, **options):
    def register(function):
        for action in actions:
            ANNOUNCERS[(model_label, action)] = Announcer(
                topic=topic, notices=function, url=url, **options
            )
        return function

    return register


def on_recorded(sender, *, event, obj, **kwargs) -> None:
    # Only a step that was taken: a refused or failed attempt recorded on the object is no news.
    if event.outcome != AuditOutcome.DONE:
        return
    announcer = ANNOUNCERS.get((obj._meta.label_lower, event.action))
    if announcer is None:
        return
    try:
        # A fault here must not undo the step it reports: its own savepoint, and the log.
        with transaction.atomic():
            _announce(announcer, obj, event)
    except Exception:
        logger.exception("notifications: %s %s of %s failed", event.action, obj._meta.label, obj.pk)


def _announce(announcer: Announcer, obj, event) -> None:
    kind = f"{announcer.topic}.{event.action}"[:40]
    # Texts are stored as the recipients read them, whatever language the actor uses.
    with translation.override(settings.LANGUAGE_CODE):
        url = announcer.url(obj)
        notices = announcer.notices(obj, event)
    written = []
    for notice in notices:
        link = notice.url or url
        recipients = [
            user for user in notice.recipients if announcer.tell_actor or user.pk != event.actor_id
        ]
        written += notify_all(
            recipients,
            kind=kind,
            title=notice.title,
            body=notice.body,
            url=link,
            # A notice with its own link is its own occasion: a supervisor drawn for two
            # inspections gets an e-mail for each, not one for the first.
            key=f"{obj._meta.label_lower}:{obj.pk}:{event.pk}"
            + (f":{notice.url}" if notice.url else ""),
            start_sender=False,
        )
    if any(getattr(note, "emailed", False) for note in written):
        start_email_sender()
