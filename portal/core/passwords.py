"""Passwords to GB/T 22239-2019 level 3 (8.1.4.1): complex, not reused, changed when someone
else set them, and aged out for bureau staff.

- CharacterClassesValidator: at least 3 of the 4 classes (upper, lower, digit, symbol); the
  length (8) is Django's MinimumLengthValidator.
- PasswordHistoryValidator: not one of the last PASSWORD_HISTORY_COUNT passwords. Django calls
  its password_changed() after every save of a new password (set_password, create_user, the
  admin, the change form), so the history is kept whatever path changed it.
- A password an administrator set is marked (password_change_require); the user is sent to the
  change page until they replace it (portal.core.account_guard).
- A bureau reviewer's or an administrator's password older than PASSWORD_MAX_AGE_DAYS must be
  changed the same way.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.audit import audit_record, register_labels
from portal.core.models import PasswordChangeRequired, PasswordHistory
from portal.core.roles import membership_of

register_labels(
    actions={
        "password_set_by_other": gettext_lazy("Password set by an administrator"),
        "password_changed": gettext_lazy("Password changed"),
    }
)

# The reasons a user must change the password before anything else.
SET_BY_OTHER = "set_by_other"
EXPIRED = "expired"


def _classes(password: str) -> int:
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if _classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "The password must mix at least %(count)s of: capital letters, small letters, "
            "digits and symbols."
        ) % {"count": self.min_classes}


class PasswordHistoryValidator:
    def __init__(self, count: int = 5) -> None:
        self.count = count

    def _recent_hashes(self, user) -> list[str]:
        hashes = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : self.count
            ]
        )
        # A password set before the history was kept is still one of the last.
        if user.password and user.password not in hashes:
            hashes.insert(0, user.password)
        return hashes[: self.count]

    def validate(self, password: str, user=None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        if any(check_password(password, encoded) for encoded in self._recent_hashes(user)):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password: str, user=None) -> None:
        if user is None or not user.pk or not user.has_usable_password():
            return
        PasswordHistory.objects.create(user=user, password=user.password, changed_at=timezone.now())
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.count :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self) -> str:
        return _("The password must differ from your last %(count)s passwords.") % {
            "count": self.count
        }


def password_expires(user) -> bool:
    """Bureau reviewers (district, city) and administrators: their passwords age out."""
    if user.is_staff or user.is_superuser:
        return True
    membership = membership_of(user)
    return membership is not None and membership.is_bureau


def password_changed_at(user) -> dt.datetime:
    newest = PasswordHistory.objects.filter(user=user).values_list("changed_at", flat=True).first()
    return newest or user.date_joined


def password_expires_at(user) -> dt.datetime | None:
    """When the user's password must be changed by age; None if it never ages out."""
    if not password_expires(user):
        return None
    return password_changed_at(user) + dt.timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)


def password_change_reason(user) -> str | None:
    """Why the user must change the password now (SET_BY_OTHER, EXPIRED), or None."""
    if PasswordChangeRequired.objects.filter(user=user).exists():
        return SET_BY_OTHER
    expires_at = password_expires_at(user)
    if expires_at is not None and expires_at <= timezone.now():
        return EXPIRED
    return None


def password_change_explanation(reason: str | None) -> str:
    if reason == SET_BY_OTHER:
        return _(
            "Your password was set by an administrator. Before going on, replace it with one "
            "that only you know."
        )
    if reason == EXPIRED:
        return _(
            "Your password is more than %(days)s days old. Before going on, choose a new one."
        ) % {"days": settings.PASSWORD_MAX_AGE_DAYS}
    return ""


@transaction.atomic
def password_change_require(*, user, actor) -> None:
    """A password `actor` set for `user`: the user replaces it at the next login."""
    if actor is not None and actor.pk == user.pk:
        return
    PasswordChangeRequired.objects.update_or_create(user=user, defaults={"set_by": actor})
    audit_record(obj=user, actor=actor, action="password_set_by_other")


@transaction.atomic
def password_change_done(*, user) -> None:
    """The user chose a password of their own (the history was written by the validator)."""
    PasswordChangeRequired.objects.filter(user=user).delete()
    audit_record(obj=user, actor=user, action="password_changed")
