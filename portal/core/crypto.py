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

With ``ID_CIPHER=sm4`` (国密, GB/T 39786) the same keys encrypt with SM4-GCM (a 128-bit key
derived from each by HMAC-SM3), stored as ``s1:<key id>:…``, and the look-up hash is HMAC-SM3.
Either cipher reads both forms; ``manage.py reencrypt_ids`` moves every row and file to the
configured one and writes every digest afresh (look-ups of rows not yet moved miss meanwhile).

In Python code the field holds plaintext: ``roster_entry.id_number`` is the number. Filtering on
it raises FieldError naming the digest field to use; ``id_digest(number)`` gives the value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import models

PREFIX = "v1:"
SM4_PREFIX = "s1:"
PREFIXES = (PREFIX, SM4_PREFIX)
CIPHERS = ("aes", "sm4")
_NONCE_BYTES = 12
# Bound to every ciphertext: a value copied into another kind of column does not decrypt there.
_AAD = b"portal.id_number"
# Files holding ID numbers (an uploaded roster, a certificate report) are sealed on disk:
# magic ‖ key id ‖ nonce ‖ ciphertext ‖ tag. An xlsx starts with "PK", so no file is mistaken.
FILE_MAGIC = b"PORTAL-SEALED-1\n"
SM4_FILE_MAGIC = b"PORTAL-SM4GCM-1\n"
_TAG_BYTES = 16
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


def sm3_hmac(key: bytes, data: bytes) -> bytes:
    mac = crypto_hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


class SM4GCM:
    """SM4 in GCM mode with AESGCM's interface: nonce, data, associated data → ciphertext ‖ tag."""

    def __init__(self, key: bytes) -> None:
        self._key = sm3_hmac(key, b"portal.sm4-gcm-key")[:16]

    def encrypt(self, nonce: bytes, data: bytes, associated: bytes) -> bytes:
        encryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce)).encryptor()
        encryptor.authenticate_additional_data(associated)
        return encryptor.update(data) + encryptor.finalize() + encryptor.tag

    def decrypt(self, nonce: bytes, sealed: bytes, associated: bytes) -> bytes:
        body, tag = sealed[:-_TAG_BYTES], sealed[-_TAG_BYTES:]
        decryptor = Cipher(algorithms.SM4(self._key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(associated)
        return decryptor.update(body) + decryptor.finalize()


@dataclass(frozen=True)
class Scheme:
    """One cipher: how its values and files are marked, and the key id → cipher object map."""

    name: str
    prefix: str
    file_magic: bytes
    keys: tuple[tuple[str, object], ...]


@lru_cache(maxsize=8)
def _keys(raw_keys: tuple[str, ...], cipher: str) -> tuple[tuple[str, object], ...]:
    if not raw_keys:
        raise ImproperlyConfigured("ID_ENCRYPTION_KEYS must name at least one key")
    decoded = [_decode_key(raw, "ID_ENCRYPTION_KEYS") for raw in raw_keys]
    make = SM4GCM if cipher == "sm4" else AESGCM
    return tuple((key_id(key), make(key)) for key in decoded)


@lru_cache(maxsize=4)
def _hash_key(raw: str) -> bytes:
    return _decode_key(raw, "ID_HASH_KEY")


def _scheme(cipher: str) -> Scheme:
    keys = _keys(tuple(settings.ID_ENCRYPTION_KEYS), cipher)
    if cipher == "sm4":
        return Scheme("sm4", SM4_PREFIX, SM4_FILE_MAGIC, keys)
    return Scheme("aes", PREFIX, FILE_MAGIC, keys)


def configured_cipher() -> str:
    cipher = getattr(settings, "ID_CIPHER", "aes")
    if cipher not in CIPHERS:
        raise ImproperlyConfigured(f"ID_CIPHER must be one of {', '.join(CIPHERS)}, got {cipher!r}")
    return cipher


def _current() -> Scheme:
    return _scheme(configured_cipher())


def _scheme_of_value(stored: str) -> Scheme | None:
    if stored.startswith(SM4_PREFIX):
        return _scheme("sm4")
    if stored.startswith(PREFIX):
        return _scheme("aes")
    return None


def _scheme_of_file(blob: bytes) -> Scheme | None:
    if blob.startswith(SM4_FILE_MAGIC):
        return _scheme("sm4")
    if blob.startswith(FILE_MAGIC):
        return _scheme("aes")
    return None


def _cipher_for(scheme: Scheme, kid: str, what: str):
    for candidate, cipher in scheme.keys:
        if candidate == kid:
            return cipher
    raise ImproperlyConfigured(
        f"{what} is encrypted with key {kid}, which is not in ID_ENCRYPTION_KEYS"
    )


def current_key_id() -> str:
    """The id of the key that encrypts (the first of ID_ENCRYPTION_KEYS)."""
    return _current().keys[0][0]


def current_form() -> str:
    """How a value written now is marked: the cipher's prefix and the key id."""
    scheme = _current()
    return f"{scheme.prefix}{scheme.keys[0][0]}"


def normalise(number: str) -> str:
    """The form that is hashed: no surrounding spaces, an x check character upper case."""
    return (number or "").strip().upper()


def encrypt_id(number: str) -> str:
    scheme = _current()
    kid, cipher = scheme.keys[0]
    nonce = os.urandom(_NONCE_BYTES)
    sealed = cipher.encrypt(nonce, number.encode(), _AAD)
    return f"{scheme.prefix}{kid}:{base64.urlsafe_b64encode(nonce + sealed).decode().rstrip('=')}"


def decrypt_id(stored: str) -> str:
    """The number; a value without a prefix is legacy plaintext and returned as it is."""
    scheme = _scheme_of_value(stored or "")
    if scheme is None:
        return stored
    try:
        kid, body = stored[len(scheme.prefix) :].split(":", 1)
    except ValueError:
        raise ValueError("malformed encrypted ID number") from None
    cipher = _cipher_for(scheme, kid, "an ID number")
    blob = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return cipher.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], _AAD).decode()


def is_encrypted(stored: str) -> bool:
    return bool(stored) and stored.startswith(PREFIXES)


def encrypted_with(stored: str) -> str:
    """The key id a stored value is encrypted with; '' for legacy plaintext."""
    scheme = _scheme_of_value(stored or "")
    if scheme is None:
        return ""
    return stored[len(scheme.prefix) :].split(":", 1)[0]


def seal_bytes(data: bytes) -> bytes:
    """A file's content encrypted with the first key of ID_ENCRYPTION_KEYS."""
    scheme = _current()
    kid, cipher = scheme.keys[0]
    nonce = os.urandom(_NONCE_BYTES)
    return scheme.file_magic + kid.encode() + nonce + cipher.encrypt(nonce, data, _FILE_AAD)


def is_sealed(blob: bytes) -> bool:
    return _scheme_of_file(blob) is not None


def open_bytes(blob: bytes) -> bytes:
    """The content of a sealed file; a file stored before sealing is returned as it is."""
    scheme = _scheme_of_file(blob)
    if scheme is None:
        return blob
    magic = len(scheme.file_magic)
    kid = blob[magic : magic + 8].decode()
    body = blob[magic + 8 :]
    cipher = _cipher_for(scheme, kid, "a file")
    return cipher.decrypt(body[:_NONCE_BYTES], body[_NONCE_BYTES:], _FILE_AAD)


def sealed_with(blob: bytes) -> str:
    """How a sealed file is encrypted (cipher and key id, as current_form); '' in clear."""
    scheme = _scheme_of_file(blob)
    if scheme is None:
        return ""
    magic = len(scheme.file_magic)
    return f"{scheme.prefix}{blob[magic : magic + 8].decode()}"


def id_digest(number: str) -> str:
    """The keyed hash used for look-ups and duplicate checks (64 hex characters); '' for ''."""
    value = normalise(number)
    if not value:
        return ""
    key = _hash_key(settings.ID_HASH_KEY)
    if configured_cipher() == "sm4":
        return sm3_hmac(key, value.encode()).hex()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedIDField(models.CharField):
    """Plaintext in Python, AES-GCM or SM4-GCM ciphertext in the database; not filterable (use
    the digest).

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
        if value is None or value == "" or is_encrypted(value):
            return value
        return encrypt_id(value)

    def value_to_string(self, obj):
        # Serialised (a backup, dumpdata) as ciphertext: a dump file never holds the number.
        value = self.value_from_object(obj)
        if not value or is_encrypted(value):
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
