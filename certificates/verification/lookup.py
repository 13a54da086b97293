"""Public verification (R-K5): what anyone may learn about a certificate, and nothing more.

The answer for a number that does not exist and for a name that does not match is the same
"not_found", so the page cannot be used to learn whose number it is. Shown fields are masked;
of the ID number only its first and last character (mask_id_public), so what the public learns
cannot be completed into the full number that the holder's download asks for.
One indexed query per answer (the number is unique); issuer and fields are the printed copies.
"""

import functools
import hmac
import json
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.crypto import salted_hmac

from assessments.rosters.reader.format import level_text
from certificates.models import Certificate, CertificateStatus
from certificates.numbering import numbers as numbering
from portal.core import ratelimit
from portal.core.crypto import decrypt_id, id_digest
from portal.core.masking import mask_id_public, mask_name

VALID = "valid"
REVOKED = "revoked"
NOT_FOUND = "not_found"

_FIELDS = (
    "pk",
    "number",
    "holder_name",
    "id_number",
    "occupation_name",
    "work_type_name",
    "level",
    "enterprise_level",
    "issued_on",
    "issuer_name",
    "status",
    "revoked_on",
    "revoked_reason",
    "replacement_kind",
    "replaced_by__number",
    "replaced_by__replacement_kind",
    "replaced_by__issued_on",
)


@dataclass(frozen=True)
class Verification:
    result: str
    number: str
    number_format: str  # "current" (R-K2, 22 characters), "legacy" (16 digits) or "unknown"
    name: str = ""
    id_number: str = ""
    occupation: str = ""
    work_type: str = ""
    level: str = ""
    issued_on: str = ""
    issuer: str = ""
    revoked_on: str = ""
    revoked_reason: str = ""
    replaced_by: str = ""
    replacement: str = ""  # reissue / correction, when replaced_by is set

    def as_json(self) -> dict:
        if self.result == NOT_FOUND:
            return {"result": NOT_FOUND, "number": self.number, "number_format": self.number_format}
        # Every field is a string: a shallow copy is enough (asdict's deep copy is slow).
        data = dict(self.__dict__)
        if self.result == VALID:
            for key in ("revoked_on", "revoked_reason", "replaced_by", "replacement"):
                del data[key]
        return data


def normalise_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


_FORMATS = {numbering.OURS: "current", numbering.LEGACY: "legacy", numbering.INVALID: "unknown"}


@functools.cache
def _sql(field: str) -> str:
    query = Certificate.objects.filter(**{field: ""}).values(*_FIELDS).order_by()[:1].query
    sql, params = query.sql_with_params()
    if params != ("",):
        raise AssertionError(f"unexpected parameters {params!r}")
    return sql


def _row(field: str, value: str) -> dict | None:
    """The fields of the certificate whose unique `field` is `value`, in one indexed query.

    The SQL is compiled once: compiling the ORM query took longer than running it, and the
    public API answers every request with this query.
    """
    with connection.cursor() as cursor:
        cursor.execute(_sql(field), [value])
        values = cursor.fetchone()
    return None if values is None else dict(zip(_FIELDS, values, strict=True))


def _iso(day) -> str:
    return str(day) if day else ""  # a date, or already its ISO text


def _answer(row: dict | None, number: str, number_format: str) -> Verification:
    if row is None:
        return Verification(result=NOT_FOUND, number=number, number_format=number_format)
    status = row["status"]
    result = VALID if status == CertificateStatus.VALID else REVOKED
    return Verification(
        result=result,
        number=row["number"],
        number_format="current",
        name=mask_name(row["holder_name"]),
        # The raw query reads the column as stored: ciphertext (portal.core.crypto).
        id_number=mask_id_public(decrypt_id(row["id_number"])),
        occupation=row["occupation_name"],
        work_type=row["work_type_name"] or "--",
        level=level_text(row["level"], row["enterprise_level"]),
        issued_on=_iso(row["issued_on"]),
        issuer=row["issuer_name"],
        # A replaced certificate stopped being valid the day its replacement was issued.
        revoked_on=_iso(row["revoked_on"] or row["replaced_by__issued_on"]),
        revoked_reason=row["revoked_reason"],
        replaced_by=row["replaced_by__number"] or "",
        replacement=row["replaced_by__replacement_kind"] or "",
    )


def verify(number: str, name: str) -> Verification:
    """By number and name, both required (the caller checks they are given)."""
    number = numbering.normalise(number)
    number_format = _FORMATS[numbering.kind_of(number)]
    if number_format != "current":
        # Legacy qualification numbers are recognised but none is ours; nothing to look up.
        return _answer(None, number, number_format)
    row = _row("number", number)
    if row is None or normalise_name(row["holder_name"]) != normalise_name(name):
        return _answer(None, number, number_format)
    return _answer(row, number, number_format)


# Answers by number are cached (VERIFY_CACHE_SECONDS) with the counter of the client's rate
# limit, so a repeated lookup costs one cache round trip and no query. The entry holds the
# masked answer and a keyed hash of the holder's name, never the name or the ID number; it is
# dropped when the certificate is revoked or replaced (services call forget()).
def answer_key(number: str) -> str:
    # The version changes with what a cached answer holds, so no older answer is served.
    return f"verify:answer:v2:{number}"


def _name_digest(name: str) -> str:
    return salted_hmac("certificates.verify-name", normalise_name(name)).hexdigest()[:32]


def forget(*numbers: str) -> None:
    ratelimit.forget(*(answer_key(number) for number in numbers))


def _lookup(
    request, number: str, name: str, scope: str, rate: ratelimit.Rate
) -> tuple[ratelimit.Verdict, str, str, bytes | None]:
    """Count the request and find the answer: (verdict, number, format, JSON of the answer, or
    None when there is no certificate of that number and name). One cache round trip when the
    answer is cached; else one query, and the answer is cached for the next lookup."""
    number = numbering.normalise(number)
    number_format = _FORMATS[numbering.kind_of(number)]
    seconds = settings.VERIFY_CACHE_SECONDS
    key = answer_key(number) if number_format == "current" and seconds > 0 else None
    verdict, cached = ratelimit.hit_and_get(request, scope, rate, fetch=key)
    if not verdict.allowed or number_format != "current":
        return verdict, number, number_format, None
    digest = _name_digest(name).encode()
    if cached is not None and cached[32:33] == b"\n":
        body = cached[33:] if hmac.compare_digest(cached[:32], digest) else None
        return verdict, number, number_format, body
    row = _row("number", number)
    if row is None:
        return verdict, number, number_format, None
    body = json.dumps(_answer(row, number, number_format).as_json(), ensure_ascii=False).encode()
    holder = _name_digest(row["holder_name"]).encode()
    if key is not None:
        ratelimit.store(key, holder + b"\n" + body, seconds)
    return verdict, number, number_format, body if hmac.compare_digest(holder, digest) else None


def verify_json(
    request, number: str, name: str, *, scope: str, rate: ratelimit.Rate
) -> tuple[ratelimit.Verdict, bytes | None]:
    """The answer as the API's JSON body (None when over the rate limit), taken from the cache
    as it is when cached."""
    verdict, number, number_format, body = _lookup(request, number, name, scope, rate)
    if not verdict.allowed:
        return verdict, None
    if body is None:
        body = json.dumps(
            _answer(None, number, number_format).as_json(), ensure_ascii=False
        ).encode()
    return verdict, body


def verify_counted(
    request, number: str, name: str, *, scope: str, rate: ratelimit.Rate
) -> tuple[ratelimit.Verdict, Verification | None]:
    """verify() for a client: counted against its rate limit (None when over it)."""
    verdict, body = verify_json(request, number, name, scope=scope, rate=rate)
    return verdict, None if body is None else Verification(**json.loads(body))


def query_site_for(number: str) -> tuple[str, str] | None:
    """(name, address) of the provincial query site of the certificate's issuer, if its province
    (or municipality) keeps one (seed 004 §三(三)); one query."""
    row = (
        Certificate.objects.filter(number=number)
        .values_list(
            "enterprise__district__parent__parent_id",
            "enterprise__district__parent__parent__query_site_name",
            "enterprise__district__parent__parent__query_site_url",
            "enterprise__district__parent__query_site_name",
            "enterprise__district__parent__query_site_url",
        )
        .first()
    )
    if row is None:
        return None
    province_id, province_name, province_url, city_name, city_url = row
    name, url = (province_name, province_url) if province_id else (city_name, city_url)
    return (name, url) if url else None


def verify_number(number: str) -> Verification | None:
    """By the number alone: for a number read from a file whose signature this portal trusts
    (certificates.verification.file_check), never for a number someone typed."""
    row = _row("number", number)
    if row is None:
        return None
    return _answer(row, row["number"], "current")


def verify_public_id(public_id: str) -> Verification | None:
    """By the QR link's public id (already checked against its signature)."""
    row = _row("public_id", public_id)
    if row is None:
        return None
    return _answer(row, row["number"], "current")


def holder_certificate(number: str, name: str, id_number: str) -> Certificate | None:
    """The certificate a holder may download: its number, the name and the full ID number, the
    ID compared by its keyed hash (portal.core.crypto), as every other ID look-up is."""
    number = numbering.normalise(number)
    if numbering.kind_of(number) != numbering.OURS or not id_number:
        return None
    certificate = Certificate.objects.filter(number=number).first()
    if certificate is None:
        return None
    if normalise_name(certificate.holder_name) != normalise_name(name):
        return None
    if not hmac.compare_digest(certificate.id_hash, id_digest(id_number)):
        return None
    return certificate


# Attempts are counted per certificate number until one succeeds, whatever address they come
# from: the limit per address does not stop a guesser with many addresses. A number that does
# not exist is counted and paused the same way, so the pause does not tell which numbers exist.
HOLDER_FAILURE_SCOPE = "holder_certificate"


@dataclass(frozen=True)
class HolderAttempt:
    certificate: Certificate | None
    number: str  # normalised
    paused_for: int = 0  # seconds; the certificate's downloads are paused, nothing was checked


def holder_attempt(*, number: str, name: str, id_number: str) -> HolderAttempt:
    """holder_certificate(), refused while the number has used up its attempts
    (HOLDER_DOWNLOAD_CERTIFICATE_FAILURES). Each attempt is counted before the check, so
    parallel guesses cannot all pass it; a match clears the count."""
    number = numbering.normalise(number)
    if numbering.kind_of(number) != numbering.OURS:
        return HolderAttempt(None, number)  # never a certificate: nothing to guess at
    rate = ratelimit.Rate.parse(settings.HOLDER_DOWNLOAD_CERTIFICATE_FAILURES)
    verdict = ratelimit.subject_count(HOLDER_FAILURE_SCOPE, number, rate)
    if not verdict.allowed:
        return HolderAttempt(None, number, paused_for=verdict.retry_after)
    certificate = holder_certificate(number, name, id_number)
    if certificate is not None:
        ratelimit.subject_reset(HOLDER_FAILURE_SCOPE, number)
    return HolderAttempt(certificate, number)
