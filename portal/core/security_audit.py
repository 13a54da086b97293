"""Logins, logouts, failed and locked-out logins in the audit trail (GB/T 22239-2019 8.1.4.3)."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from portal.core.audit import audit_record, register_labels
from portal.core.lockout import client_ip
from portal.core.models import AuditOutcome

register_labels(
    actions={
        "login": _("logged in"),
        "logout": _("logged out"),
        "login_failed": _("login failed"),
        "login_locked": _("login locked"),
        "access_refused": _("access refused"),
        "action_refused": _("action refused"),
        "file_sent": _("file downloaded"),
    }
)

_NAME_KEPT = 150


def _user_named(username: str):
    if not username or len(username) > _NAME_KEPT:
        return None
    return get_user_model().objects.filter(username=username).first()


def _address(request) -> str | None:
    return client_ip(request) if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    audit_record(obj=user, actor=user, action="login", address=_address(request))


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(obj=user, actor=user, action="logout", address=_address(request))


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))
    audit_record(
        obj=_user_named(username),
        actor=None,
        action="login_failed",
        # The name as typed (cut short), so guesses at names that do not exist show too.
        note=username[:_NAME_KEPT],
        outcome=AuditOutcome.FAILED,
        address=_address(request),
    )


@receiver(user_locked_out, dispatch_uid="audit_login_locked")
def _locked_out(sender, request, username=None, ip_address=None, **kwargs) -> None:
    audit_record(
        obj=_user_named(username or ""),
        actor=None,
        action="login_locked",
        note=(username or "")[:_NAME_KEPT],
        outcome=AuditOutcome.REFUSED,
        address=ip_address or _address(request),
    )
