"""The QR link /v/<token>: 16 random characters naming the certificate, then 16 of signature.

The token carries no personal data and cannot be guessed or forged: the random part is 96 bits,
the signature a keyed hash of it truncated to 96 bits. A forged or mistyped token is refused
before the database is asked.
"""

import base64
import hmac

from django.utils.crypto import salted_hmac

PUBLIC_ID_LENGTH = 16
_SALT = "certificates.qr-link"


def _signature(public_id: str) -> str:
    digest = salted_hmac(_SALT, public_id, algorithm="sha256").digest()[:12]
    return base64.urlsafe_b64encode(digest).decode()


def make_token(public_id: str) -> str:
    return public_id + _signature(public_id)


def public_id_from(token: str) -> str | None:
    """The certificate's public id when the token is genuine, else None."""
    if len(token) != 2 * PUBLIC_ID_LENGTH:
        return None
    public_id, signature = token[:PUBLIC_ID_LENGTH], token[PUBLIC_ID_LENGTH:]
    if not hmac.compare_digest(signature, _signature(public_id)):
        return None
    return public_id
