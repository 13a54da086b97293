"""What a notification is about, as a user chooses e-mail for it: one topic per area of work.

A notification's `kind` names its topic: "filing.approve" is about filings. The deadline
reminders (supervision.reminders.rules) and the older kinds of the supervision areas are mapped
by name."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from supervision.models import EmailPreference


class Topic(models.TextChoices):
    FILING = "filing", _("Filings and their review")
    SCHEME = "scheme", _("Evaluation schemes")
    PLAN = "plan", _("Implementation plans and rosters")
    RESULT = "result", _("Results, publicity and result filing")
    CERTIFICATE = "certificate", _("Certificates")
    AGREEMENT = "agreement", _("Entrusted evaluation agreements")
    SUPERVISION = "supervision", _("Inspections, complaints and sanctions")
    REMINDER = "reminder", _("Deadline reminders")


_SUPERVISION_KINDS = ("inspection", "finding", "complaint", "sanction")


def topic_of(kind: str) -> str:
    head = kind.split(".", 1)[0]
    if head in Topic.values and "." in kind:
        return head
    if kind.startswith(_SUPERVISION_KINDS):
        return Topic.SUPERVISION
    return Topic.REMINDER


def email_topics_off(user) -> set[str]:
    return set(
        EmailPreference.objects.filter(user=user, email=False).values_list("topic", flat=True)
    )


def wants_email(user, kind: str) -> bool:
    """True when the user has an address and has not turned e-mail off for the kind's topic."""
    if not user.email:
        return False
    return not EmailPreference.objects.filter(user=user, topic=topic_of(kind), email=False).exists()


def email_preferences_save(*, user, topics_on: set[str]) -> None:
    for topic in Topic.values:
        EmailPreference.objects.update_or_create(
            user=user, topic=topic, defaults={"email": topic in topics_on}
        )
