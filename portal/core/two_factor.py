"""Second factor for bureau staff: TOTP codes from an authenticator app (django-otp).

A district or city reviewer, a quality supervisor or a superuser may switch it on, and
with REQUIRE_TWO_FACTOR_FOR_STAFF must, before any other page (portal.core.account_guard). The
enrolment page shows a fresh secret as a QR code and as text, and the first code the app shows
confirms it. From then on the login asks for a 6-digit code after the password
(portal.core.login_views), and the member switches it off only with a valid code. A member who
lost the phone asks a superuser to delete the device in the Django admin (Django OTP › TOTP
devices).

Codes are checked by django-otp's TOTPDevice: one step (30 s) of clock difference either way,
a code is accepted once only, and wrong codes make the next check wait 1, 2, 4 … seconds for
that device whatever the client; each wrong code also counts towards the per-client lockout
(portal.core.lockout).
"""

import base64
import time
from binascii import unhexlify
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from portal.core.audit import audit_record, register_labels
from portal.core.errors import ServiceError
from portal.core.models import Role
from portal.core.roles import membership_of

register_labels(
    actions={
        "two_factor_on": gettext_lazy("Two-step login switched on"),
        "two_factor_off": gettext_lazy("Two-step login switched off"),
    }
)

STAFF_ROLES = frozenset({Role.DISTRICT, Role.CITY, Role.PROVINCE, Role.SUPERVISOR})
CODE_DIGITS = 6


def may_use_two_factor(user) -> bool:
    """Bureau staff (district, city, province, supervisor) and superusers; enterprises and
    experts do not enrol (is_staff alone changes nothing: global flags never widen what a member
    reaches)."""
    if getattr(user, "is_superuser", False):
        return True
    membership = membership_of(user)
    return membership is not None and membership.role in STAFF_ROLES


def two_factor_missing(user) -> bool:
    """Policy asks staff for a second factor (REQUIRE_TWO_FACTOR_FOR_STAFF) and this one has
    none yet: they set it up before anything else (portal.core.account_guard)."""
    return (
        settings.REQUIRE_TWO_FACTOR_FOR_STAFF
        and may_use_two_factor(user)
        and device_of(user) is None
    )


def device_of(user) -> TOTPDevice | None:
    """The user's confirmed device: with one, the login asks for a code."""
    if not getattr(user, "pk", None):
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def new_secret() -> str:
    """A fresh 160-bit TOTP secret, hex-encoded as TOTPDevice keeps it."""
    return random_hex(20)


def secret_text(key: str) -> str:
    """The secret as an authenticator app takes it when typed: base32, in groups of four."""
    encoded = base64.b32encode(unhexlify(key)).decode()
    return " ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def qr_svg(*, user, key: str) -> str:
    """The otpauth:// address of the secret as an inline SVG QR code (no external request)."""
    url = TOTPDevice(user=user, key=key).config_url
    return segno.make_qr(url, error="m").svg_inline(scale=4, title=_("QR code for the app"))


def _matching_step(key: str, code: str) -> int | None:
    """The time step whose code is `code` (one step either way), or None."""
    if not (len(code) == CODE_DIGITS and code.isdigit()):
        return None
    totp = TOTP(unhexlify(key), digits=CODE_DIGITS)
    totp.time = time.time()
    if totp.verify(int(code), tolerance=1):
        return totp.t()
    return None


@transaction.atomic
def two_factor_enable(*, user, key: str, code: str) -> TOTPDevice:
    """Confirm the secret shown at enrolment with the app's first code and switch it on."""
    if not may_use_two_factor(user):
        raise ServiceError(_("Only bureau staff can use a second factor."))
    if device_of(user) is not None:
        raise ServiceError(_("Two-step login is already switched on."))
    step = _matching_step(key, code)
    if step is None:
        raise ServiceError(
            _("Code: the code does not match; check the app's clock and enter the current code.")
        )
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user,
        name=_("Authenticator app"),
        key=key,
        digits=CODE_DIGITS,
        confirmed=True,
        last_t=step,  # the confirming code cannot be used again to log in
    )
    audit_record(obj=user, actor=user, action="two_factor_on", to_status="on")
    return device


@dataclass(frozen=True)
class CodeCheck:
    accepted: bool
    wait_until: object = None  # a datetime when checks are paused after wrong codes


def check_code(*, user, code: str) -> CodeCheck:
    """Check a login code against the user's device (throttled, each code used once)."""
    device = device_of(user)
    if device is None:
        return CodeCheck(False)
    allowed, details = device.verify_is_allowed()
    if not allowed:
        return CodeCheck(False, (details or {}).get("locked_until"))
    code = code.strip()
    if not (len(code) == CODE_DIGITS and code.isdigit()):
        device.throttle_increment(commit=True)
        return CodeCheck(False)
    return CodeCheck(bool(device.verify_token(code)))


@transaction.atomic
def two_factor_disable(*, user, code: str) -> None:
    """Switch the second factor off; only with a valid code from the app."""
    device = device_of(user)
    if device is None:
        raise ServiceError(_("Two-step login is not switched on."))
    if settings.REQUIRE_TWO_FACTOR_FOR_STAFF:
        raise ServiceError(_("Staff accounts must use two-step login: it cannot be switched off."))
    check = check_code(user=user, code=code)
    if not check.accepted:
        if check.wait_until is not None:
            raise ServiceError(wait_message(check.wait_until))
        raise ServiceError(_("Code: the code is wrong or was already used."))
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(obj=user, actor=user, action="two_factor_off", from_status="on", to_status="off")


def wait_message(until) -> str:
    return _("Too many wrong codes: try again after %(time)s.") % {
        "time": timezone.localtime(until).strftime("%H:%M:%S")
    }


def staff_with_two_factor(*, city) -> list[dict]:
    """The city's bureau staff (its own bureau, its districts, its supervisors) with whether
    each has the second factor on: what a city administrator checks."""
    from portal.core.models import Membership

    members = (
        Membership.objects.filter(role__in=STAFF_ROLES, user__is_active=True)
        .filter(bureau__in=[city.pk, *city.children.values_list("pk", flat=True)])
        .select_related("user", "bureau")
        .order_by("bureau__code", "role", "user__username")
    )
    with_device = set(
        TOTPDevice.objects.filter(
            confirmed=True, user_id__in=[m.user_id for m in members]
        ).values_list("user_id", flat=True)
    )
    return [
        {"membership": m, "user": m.user, "two_factor": m.user_id in with_device} for m in members
    ]
