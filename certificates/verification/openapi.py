"""The OpenAPI 3.1 description of the public verification API (R-K5), served as JSON.

The examples are built from certificates.verification.Verification itself, so they show what
the API really answers; tests/certificates/test_api.py checks real answers against the schemas.
Descriptions go through gettext: the document is in the language the reader chose.
"""

from django.utils.translation import gettext as _

from certificates.verification.lookup import NOT_FOUND, REVOKED, VALID, Verification

VERIFY_PATH = "/api/v1/certificates/verify"
OPENAPI_PATH = "/api/v1/openapi.json"
VERSION = "1.1.0"

_CERTIFICATE = {
    "number": "Y000044012345264000001",
    "number_format": "current",
    "name": "张*丰",
    "id_number": "4****************X",
    "occupation": "车工",
    "work_type": "--",
    "level": "四级/中级工",
    "issued_on": "2026-11-20",
    "issuer": "南山精密机械有限公司",
}


def response_examples() -> dict[str, dict]:
    """Named examples of the 200 answer: {key: {"summary": …, "value": …}}."""
    revoked = Verification(
        result=REVOKED,
        revoked_on="2026-12-01",
        revoked_reason="考核舞弊，成绩作废",
        **_CERTIFICATE,
    )
    replaced = Verification(
        result=REVOKED,
        revoked_on="2026-12-03",
        replaced_by="Y000044012345264000031",
        replacement="correction",
        **_CERTIFICATE,
    )
    return {
        VALID: {
            "summary": _("A valid certificate"),
            "value": Verification(result=VALID, **_CERTIFICATE).as_json(),
        },
        REVOKED: {
            "summary": _("A revoked certificate, with the date and the reason"),
            "value": revoked.as_json(),
        },
        "replaced": {
            "summary": _("A certificate replaced by a corrected one, with the new number"),
            "value": replaced.as_json(),
        },
        NOT_FOUND: {
            "summary": _("No certificate with this number and name"),
            "value": Verification(
                result=NOT_FOUND, number="Y000044012345264999999", number_format="current"
            ).as_json(),
        },
        "legacy": {
            "summary": _("An old-style 16-digit qualification certificate number"),
            "value": Verification(
                result=NOT_FOUND, number="1234567890123456", number_format="legacy"
            ).as_json(),
        },
    }


def _string(description: str, **extra) -> dict:
    return {"type": "string", "description": description, **extra}


def _schemas() -> dict:
    number_format = _string(
        _(
            # R-K2
            "current: a 22-character number of this portal; legacy: an old-style "
            "16-digit qualification certificate number, which this portal never issued; "
            "unknown: neither."
        ),
        enum=["current", "legacy", "unknown"],
    )
    certificate = {
        "number": _string(_("The certificate number, normalised (22 characters)")),
        "number_format": number_format,
        "name": _string(_("The holder's name, masked: first and last character")),
        "id_number": _string(
            _("The ID number, masked: only its first and last character"),
            pattern=r"^([^*]\*+[^*]|\**)$",
        ),
        "occupation": _string(_("Occupation")),
        "work_type": _string(_("Work type; -- when the occupation has none")),
        "level": _string(_("Level, as printed, e.g. 四级/中级工")),
        "issued_on": _string(_("Issue date"), format="date"),
        "issuer": _string(_("Issuing enterprise, as printed")),
    }
    revocation = {
        "revoked_on": _string(
            _("Revocation date; for a replaced certificate, the date its replacement was issued"),
            format="date",
        ),
        "revoked_reason": _string(_("Reason for the revocation; empty for a replacement")),
        "replaced_by": _string(
            _("Number of the certificate that replaces this one; empty when revoked")
        ),
        "replacement": _string(
            _("reissue or correction when replaced; empty when revoked"),
            enum=["", "reissue", "correction"],
        ),
    }
    return {
        "Valid": {
            "type": "object",
            "description": _("The certificate exists, the name matches, and it is valid."),
            "properties": {"result": {"const": VALID}, **certificate},
            "required": ["result", *certificate],
            "additionalProperties": False,
        },
        "Revoked": {
            "type": "object",
            "description": _(
                "The certificate exists and the name matches, but it is no longer valid: "
                "revoked, or replaced by a reissued or corrected certificate."
            ),
            "properties": {"result": {"const": REVOKED}, **certificate, **revocation},
            "required": ["result", *certificate, *revocation],
            "additionalProperties": False,
        },
        "NotFound": {
            "type": "object",
            "description": _(
                "No certificate has this number and this name. A wrong name gives exactly "
                "this answer, so the API does not tell whose a number is."
            ),
            "properties": {
                "result": {"const": NOT_FOUND},
                "number": _string(_("The number as received, normalised")),
                "number_format": number_format,
            },
            "required": ["result", "number", "number_format"],
            "additionalProperties": False,
        },
        "Verification": {
            "oneOf": [
                {"$ref": "#/components/schemas/Valid"},
                {"$ref": "#/components/schemas/Revoked"},
                {"$ref": "#/components/schemas/NotFound"},
            ],
            "discriminator": {
                "propertyName": "result",
                "mapping": {
                    VALID: "#/components/schemas/Valid",
                    REVOKED: "#/components/schemas/Revoked",
                    NOT_FOUND: "#/components/schemas/NotFound",
                },
            },
        },
        "Error": {
            "type": "object",
            "properties": {
                "error": _string(_("What is wrong, in the reader's language")),
                "field": _string(_("The parameter at fault"), enum=["number", "name"]),
            },
            "required": ["error", "field"],
            "additionalProperties": False,
        },
        "RateLimited": {
            "type": "object",
            "properties": {
                "error": _string(_("What is wrong, in the reader's language")),
                "retry_after": {
                    "type": "integer",
                    "minimum": 1,
                    "description": _("Seconds to wait before the next query"),
                },
            },
            "required": ["error", "retry_after"],
            "additionalProperties": False,
        },
        "MethodNotAllowed": {
            "type": "object",
            "properties": {"error": _string(_("What is wrong, in the reader's language"))},
            "required": ["error"],
            "additionalProperties": False,
        },
    }


def _json_content(schema: str, examples: dict | None = None) -> dict:
    content = {"schema": {"$ref": f"#/components/schemas/{schema}"}}
    if examples:
        content["examples"] = examples
    return {"application/json": content}


# Not blank (the API strips spaces and refuses what is left empty) and no NUL character.
PARAMETER_PATTERN = r"^[^\u0000]*[^\u0000\s][^\u0000]*$"


def _parameter_schema(*, max_length: int) -> dict:
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": max_length,
        "pattern": PARAMETER_PATTERN,
    }


def document(*, server_url: str) -> dict:
    no_store = {
        "Cache-Control": {
            "description": _("Answers are never cached: a certificate can be revoked."),
            "schema": {"type": "string", "const": "no-store"},
        }
    }
    retry_after = {
        "Retry-After": {
            "description": _("Seconds to wait before the next query"),
            "schema": {"type": "integer", "minimum": 1},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("Vocational skill level certificate verification API"),
            "version": VERSION,
            "description": _(
                # R-K5
                "Check a vocational skill level certificate issued through this portal by its "
                "number and its holder's name. The answer gives the status and the "
                "printed fields, with the name and ID number masked. No key is needed; queries "
                "are limited per client address."
            ),
        },
        "servers": [{"url": server_url}],
        "paths": {
            VERIFY_PATH: {
                "get": {
                    "operationId": "verifyCertificate",
                    "summary": _("Verify a certificate by number and holder's name"),
                    "parameters": [
                        {
                            "name": "number",
                            "in": "query",
                            "required": True,
                            "description": _(
                                "Certificate number; spaces and full-width characters are "
                                "accepted. A 16-digit legacy number is recognised."
                            ),
                            "schema": _parameter_schema(max_length=64),
                            "example": _CERTIFICATE["number"],
                        },
                        {
                            "name": "name",
                            "in": "query",
                            "required": True,
                            "description": _("Holder's full name as printed on the certificate"),
                            "schema": _parameter_schema(max_length=50),
                            "example": "张三丰",
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": _(
                                "The verification: valid, revoked (or replaced) or not_found"
                            ),
                            "headers": no_store,
                            "content": _json_content("Verification", response_examples()),
                        },
                        "400": {
                            "description": _(
                                "A parameter is missing, blank, too long or holds a NUL character"
                            ),
                            "headers": no_store,
                            "content": _json_content(
                                "Error",
                                {
                                    "missing_number": {
                                        "summary": _("number is missing"),
                                        "value": {
                                            "error": _(
                                                # R-K5
                                                "Certificate number: give the number parameter."
                                            ),
                                            "field": "number",
                                        },
                                    }
                                },
                            ),
                        },
                        "405": {
                            "description": _("Only GET is offered"),
                            "content": _json_content("MethodNotAllowed"),
                        },
                        "429": {
                            "description": _("Too many queries from this client address"),
                            "headers": {**no_store, **retry_after},
                            "content": _json_content(
                                "RateLimited",
                                {
                                    "rate_limited": {
                                        "summary": _("Over the limit"),
                                        "value": {
                                            "error": _(
                                                # R-K5
                                                "Too many queries from your network. Please "
                                                "try again in %(seconds)s seconds."
                                            )
                                            % {"seconds": 42},
                                            "retry_after": 42,
                                        },
                                    }
                                },
                            ),
                        },
                    },
                }
            }
        },
        "components": {"schemas": _schemas()},
    }
