"""ID numbers at rest: AES-256-GCM with keys from the environment, a keyed hash for look-ups.

An ID number (居民身份证号 and the like) is personal information under PIPL. In the database it
is stored only as ciphertext, ``v1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>``; a fresh
96-bit nonce makes two encryptions of the same number differ, so equality cannot be tested on
the column. Every look-up, duplicate check and GROUP BY goes through the keyed hash instead
(HMAC-SHA256 of the normalised number), kept beside it in an ``IDDigestField``.

Keys (portal.settings): ``ID_ENCRYPTION_KEYS`` lists base64url-encoded 32-byte keys, the first
encrypts and every one decrypts (rotation: put the new key first, run ``manage.py
reencrypt_ids``, drop the old one); ``ID_HASH_KEY`` keys the hash and can never change without
recomputing every digest. Files holding ID numbers are sealed with the same keys (seal_bytes).

In Python code the field holds plaintext: ``roster_entry.id_number`` is the number. Filtering on
it raises FieldError naming the digest field to use; ``id_digest(number)`` gives the value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models

PREFIX = "v1:"
_NONCE_BYTES = 12
# Bound to every ciphertext: a value copied into another kind of column does not decrypt there.
_AAD = b"portal.id_number"
# Files holding ID numbers (an uploaded roster, a certificate report) are sealed on disk:
# magic ‖ key id ‖ nonce ‖ ciphertext ‖ tag. An xlsx starts with "PK", so no file is mistaken.
FILE_MAGIC = b"PORTAL-SEALED-1\n"
_FILE_AAD = b"portal.personal-file"


def _decode_key(raw: str, name: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4))
    except (ValueError, TypeError):
        raise ImproperlyConfigured(f"{name} must be base64url-encoded, got {raw[:6]!r}…") from None
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must decode to 32 bytes, got {len(key)}")
    return key


def key_id(key: bytes) -> str:
    """Eight hex characters naming a key without revealing it."""
    return hashlib.sha256(b"portal.id-key:" + key).hexdigest()[:8]


def new_key() -> str:
    """A fresh key in the form ID_ENCRYPTION_KEYS and ID_HASH_KEY take."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


@lru_cache(maxsize=4)
def _keys(raw_keys: tuple[str, ...]) -> tuple[tuple[str, AESGCM], ...]:
    if not raw_keys:
        raise ImproperlyConfigured("ID_ENCRYPTION_KEYS must name at least one key")
    decoded = [_decode_key(raw, "ID_ENCRYPTION_KEYS") for raw in raw_keys]
    return tuple((key_id(key), AESGCM(key)) for key in decoded)


@lru_cache(maxsize=4)
def _hash_key(raw: str) -> bytes:
    return _decode_key(raw, "ID_HASH_KEY")


def _active_keys() -> tuple[tuple[str, AESGCM], ...]:
    return _keys(tuple(settings.ID_ENCRYPTION_KEYS))


def current_key_id() -> str:
    """The id of the key that encrypts (the first of ID_ENCRYPTION_KEYS)."""
    return _active_keys()[0][0]


def normalise(number: str) -> str:
    """The form that is hashed: no surrounding spaces, an x check character upper case."""
    return (number or "").strip().upper()


def encrypt_id(number: str) -> str:
    kid, aead = _active_keys()[0]
    nonce = os.urandom(_NONCE_BYTES)
    sealed = aead.encrypt(nonce, number.encode(), _AAD)
    return f"{PREFIX}{kid}:{base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"


def decrypt_id(stored: str) -> str:
    """The number; a value without the prefix is legacy plaintext and returned as it is."""
    if not stored or not stored.startswith(PREFIX):
        return stored
    try:
        kid, body = stored[len(PREFIX) :].split(":", 1)
    except ValueError:
        raise ValueError("malformed encrypted ID number") from None
    for candidate, aead in _active_keys():
        if candidate == kid:
            blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            return aead.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], _AAD).decode()
    raise ImproperlyConfigured(
        f"an ID number is encrypted with key {kid}, which is not in ID_ENCRYPTION_KEYS"
    )


def encrypted_with(stored: str) -> str:
    """The key id a stored value is encrypted with; '' for legacy plaintext."""
    if not stored or not stored.startswith(PREFIX):
        return ""
    return stored[len(PREFIX) :].split(":", 1)[0]


def seal_bytes(data: bytes) -> bytes:
    """A file's content encrypted with the first key of ID_ENCRYPTION_KEYS."""
    kid, aead = _active_keys()[0]
    nonce = os.urandom(_NONCE_BYTES)
    return FILE_MAGIC + kid.encode() + nonce + aead.encrypt(nonce, data, _FILE_AAD)


def is_sealed(blob: bytes) -> bool:
    return blob.startswith(FILE_MAGIC)


def open_bytes(blob: bytes) -> bytes:
    """The content of a sealed file; a file stored before sealing is returned as it is."""
    if not is_sealed(blob):
        return blob
    kid = blob[len(FILE_MAGIC) : len(FILE_MAGIC) + 8].decode()
    body = blob[len(FILE_MAGIC) + 8 :]
    for candidate, aead in _active_keys():
        if candidate == kid:
            return aead.decrypt(body[:_NONCE_BYTES], body[_NONCE_BYTES:], _FILE_AAD)
    raise ImproperlyConfigured(
        f"a file is encrypted with key {kid}, which is not in ID_ENCRYPTION_KEYS"
    )


def sealed_with(blob: bytes) -> str:
    """The key id a sealed file is encrypted with; '' for a file stored in clear."""
    return blob[len(FILE_MAGIC) : len(FILE_MAGIC) + 8].decode() if is_sealed(blob) else ""


def id_digest(number: str) -> str:
    """The keyed hash used for look-ups and duplicate checks (64 hex characters); '' for ''."""
    value = normalise(number)
    if not value:
        return ""
    return hmac.new(_hash_key(settings.ID_HASH_KEY), value.encode(), hashlib.sha256).hexdigest()


class EncryptedIDField(models.CharField):
    """Plaintext in Python, AES-GCM ciphertext in the database; not filterable (use the digest).

    ``max_length`` is the length of the number (forms and validation use it); the column is
    sized for the ciphertext.
    """

    description = "An ID number, encrypted at rest"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        return f"varchar({self.stored_length})"

    def cast_db_type(self, connection):
        return self.db_type(connection)

    def rel_db_type(self, connection):
        return self.db_type(connection)

    @property
    def stored_length(self) -> int:
        # prefix + key id + ':' + base64 of nonce (12) + number + tag (16), with room to spare.
        return 32 + ((_NONCE_BYTES + self.max_length * 4 + 16 + 2) // 3) * 4

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return decrypt_id(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "" or value.startswith(PREFIX):
            return value
        return encrypt_id(value)

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self.model.__name__}.{self.name} is encrypted and cannot be compared "
            f"({lookup_name!r}); filter on its digest field with id_digest(number)"
        )

    def get_transform(self, name):
        raise FieldError(f"{self.model.__name__}.{self.name} is encrypted; no {name!r} transform")


class IDDigestField(models.CharField):
    """The keyed hash of another field, computed whenever the row is saved or bulk-created.

    ``bulk_update`` and ``QuerySet.update`` do not call ``pre_save``: code that changes an ID
    number that way must set the digest itself (``id_digest``).
    """

    description = "Keyed hash of an ID number"

    def __init__(self, *args, source: str = "id_number", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("editable", False), ("blank", True)):
            if kwargs.get(key) == default:
                kwargs.pop(key)
        if kwargs.get("db_index") is True:
            kwargs.pop("db_index")
        else:
            kwargs["db_index"] = False
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        # decrypt_id: a source already holding ciphertext is hashed as the number it encrypts.
        value = id_digest(decrypt_id(getattr(model_instance, self.source) or ""))
        setattr(model_instance, self.attname, value)
        return value


# Bulk (re-)encryption: the data migrations and `manage.py reencrypt_ids` --------------------


def encrypted_fields(model) -> list[tuple[str, str]]:
    """(ID field, its digest field) of every EncryptedIDField of `model`."""
    pairs = []
    for field in model._meta.concrete_fields:
        if isinstance(field, IDDigestField):
            source = model._meta.get_field(field.source)
            if isinstance(source, EncryptedIDField):
                pairs.append((source.attname, field.attname))
    return pairs


def reencrypt_rows(model, *, batch_size: int = 2000) -> int:
    """Write every row's ID numbers encrypted with the first key and their digests afresh.

    Legacy plaintext reads back as it is (decrypt_id) and is encrypted here; a value encrypted
    with an older key is decrypted and encrypted again. Works on historical models too, so the
    data migrations call it. Returns the number of rows written."""
    pairs = encrypted_fields(model)
    if not pairs:
        return 0
    names = [name for pair in pairs for name in pair]
    written, last = 0, None
    while True:
        rows = model._base_manager.order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(rows.only("pk", *[source for source, _digest in pairs])[:batch_size])
        if not batch:
            return written
        for row in batch:
            for source, digest in pairs:
                number = getattr(row, source) or ""
                setattr(row, digest, id_digest(number))
                # get_prep_value encrypts plaintext with the first key; set it as plaintext.
                setattr(row, source, number)
        model._base_manager.bulk_update(batch, names)
        written += len(batch)
        last = batch[-1].pk


def decrypt_rows(model) -> int:
    """The reverse of the data migrations: ID numbers back in clear (digests kept)."""
    pairs = encrypted_fields(model)
    count = 0
    for row in model._base_manager.order_by("pk").only("pk", *[s for s, _d in pairs]).iterator():
        values = {
            source: models.Value(getattr(row, source) or "", output_field=models.CharField())
            for source, _digest in pairs
        }
        model._base_manager.filter(pk=row.pk).update(**values)
        count += 1
    return count
