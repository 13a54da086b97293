"""A staff member's authenticator app, for the tests of the two-step login."""

import time
from binascii import unhexlify

from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP

from portal.core.login_views import SETUP_KEY


def totp_code(key: str, steps_ahead: int = 0) -> str:
    """The code the app shows now (or `steps_ahead` 30-second steps later)."""
    totp = TOTP(unhexlify(key))
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def enrol(client: Client, user) -> str:
    """Switches the two-step login on for `user` as the setup page does; the device's key."""
    client.force_login(user)
    client.get(reverse("two_factor_setup"))
    key = client.session[SETUP_KEY]
    answer = client.post(reverse("two_factor_setup"), {"code": totp_code(key)})
    assert answer.status_code == 302
    client.logout()
    return key
