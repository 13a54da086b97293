"""R-K5 for machines: the JSON verification API, its OpenAPI document and its help page."""

import html
import json
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import resolve, reverse

from certificates.models import Certificate
from certificates.revocation import services
from certificates.verification import openapi

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

API = reverse("api_certificate_verify")
UNKNOWN_NUMBER = "Y000044012345264999999"
CERTIFICATE_KEYS = {
    "result",
    "number",
    "number_format",
    "name",
    "id_number",
    "occupation",
    "work_type",
    "level",
    "issued_on",
    "issuer",
}
REVOCATION_KEYS = {"revoked_on", "revoked_reason", "replaced_by", "replacement"}


def ask(client: Client, **params):
    return client.get(API, params)


# The answers -------------------------------------------------------------------------------


def test_r_k5_api_valid_answer(client, certificate):
    response = ask(client, number=certificate.number, name="张三丰")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json() == {
        "result": "valid",
        "number": certificate.number,
        "number_format": "current",
        "name": "张*丰",
        "id_number": "4****************X",
        "occupation": "车工",
        "work_type": "--",
        "level": "四级/中级工",
        "issued_on": "2026-11-20",
        "issuer": "南山精密机械有限公司",
    }


def test_r_k5_api_revoked_answer_has_date_and_reason(client, certificate, alice):
    services.certificate_revoke(certificate=certificate, actor=alice, reason="考核舞弊")
    body = ask(client, number=certificate.number, name="张三丰").json()
    assert set(body) == CERTIFICATE_KEYS | REVOCATION_KEYS
    assert body["result"] == "revoked"
    assert body["revoked_reason"] == "考核舞弊"
    assert body["revoked_on"] == Certificate.objects.get(pk=certificate.pk).revoked_on.isoformat()
    assert body["replaced_by"] == body["replacement"] == ""


def test_r_k5_api_replaced_answer_names_the_new_number(client, certificate, alice):
    new = services.certificate_replace(
        certificate=certificate,
        actor=alice,
        kind="correction",
        reason="工种填错",
        corrections={"work_type_name": "数控车工"},
    )
    body = ask(client, number=certificate.number, name="张三丰").json()
    assert body["result"] == "revoked"
    assert body["replaced_by"] == new.number
    assert body["replacement"] == "correction"
    assert body["revoked_on"] == new.issued_on.isoformat()
    fresh = ask(client, number=new.number, name="张三丰").json()
    assert fresh["result"] == "valid" and fresh["work_type"] == "数控车工"


def test_r_k5_api_wrong_name_and_unknown_number_answer_alike(client, certificate):
    mismatch = ask(client, number=certificate.number, name="李四")
    missing = ask(client, number=UNKNOWN_NUMBER, name="张三丰")
    assert mismatch.status_code == missing.status_code == 200
    assert mismatch.json() == {
        "result": "not_found",
        "number": certificate.number,
        "number_format": "current",
    }
    assert missing.json() == {
        "result": "not_found",
        "number": UNKNOWN_NUMBER,
        "number_format": "current",
    }


def test_r_k2_api_recognises_legacy_numbers_and_normalises_input(client, certificate):
    legacy = ask(client, number="1234 5678 9012 3456", name="张三丰").json()
    assert legacy == {
        "result": "not_found",
        "number": "1234567890123456",
        "number_format": "legacy",
    }
    typed = "".join(chr(ord(c) + 0xFEE0) for c in certificate.number.lower())
    assert ask(client, number=typed, name="张 三丰").json()["result"] == "valid"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"name": "张三丰"}, "number", "证书编号：请提供 number 参数。"),
        ({"number": "  ", "name": "张三丰"}, "number", "证书编号：请提供 number 参数。"),
        ({"number": UNKNOWN_NUMBER}, "name", "持证人姓名：请提供 name 参数"),
        ({"number": UNKNOWN_NUMBER, "name": "张" * 51}, "name", "持证人姓名：最多 50 个字符"),
        ({"number": "Y" * 65, "name": "张三丰"}, "number", "证书编号：最多 64 个字符"),
        ({}, "number", "证书编号："),
    ],
)
def test_r_k5_api_missing_or_bad_parameter_is_400_naming_the_field(client, params, field, message):
    response = client.get(API, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error", "field"}
    assert body["field"] == field
    assert body["error"].startswith(message)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "head", "options"])
def test_r_k5_api_is_get_only(method):
    """405 with Allow, also where CSRF is checked as in production: a write method to a
    read-only API is a wrong method, not a forged form."""
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(API)
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    if method != "head":
        assert response.json() == {"error": "只支持 GET 请求。"}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_r_k5_openapi_document_is_read_only_with_405(method):
    response = getattr(Client(enforce_csrf_checks=True), method)(reverse("api_openapi"))
    assert response.status_code == 405
    assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}


def test_r_k5_api_rate_limit_is_429_with_retry_after(client, certificate, settings):
    settings.VERIFY_RATE_LIMIT = "2/60"
    for _ in range(2):
        assert ask(client, number=certificate.number, name="张三丰").status_code == 200
    refused = ask(client, number=certificate.number, name="张三丰")
    assert refused.status_code == 429
    body = refused.json()
    assert set(body) == {"error", "retry_after"}
    assert body["retry_after"] == int(refused["Retry-After"]) >= 1
    assert "查询过于频繁" in body["error"]
    assert refused["Cache-Control"] == "no-store"


def test_r_k5_api_is_one_query_without_session_or_cookies(
    client, certificate, django_assert_num_queries
):
    with django_assert_num_queries(1):
        response = ask(client, number=certificate.number, name="张三丰")
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


# The OpenAPI document ----------------------------------------------------------------------


def _resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document["components"]["schemas"][name]
    return schema


_TYPES = {"object": dict, "string": str, "integer": int}


def conforms(document: dict, value, schema: dict) -> list[str]:
    """Problems of `value` against the subset of JSON Schema the document uses."""
    schema = _resolve(document, schema)
    if "oneOf" in schema:
        matches = [s for s in schema["oneOf"] if not conforms(document, value, s)]
        return [] if len(matches) == 1 else [f"{value!r} matches {len(matches)} of oneOf"]
    problems = []
    if "type" in schema and not isinstance(value, _TYPES[schema["type"]]):
        return [f"{value!r} is not {schema['type']}"]
    if "const" in schema and value != schema["const"]:
        problems.append(f"{value!r} is not {schema['const']!r}")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{value!r} not in {schema['enum']}")
    if "minimum" in schema and value < schema["minimum"]:
        problems.append(f"{value!r} below {schema['minimum']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        problems += [f"missing {key}" for key in schema.get("required", []) if key not in value]
        if schema.get("additionalProperties") is False:
            problems += [f"unexpected {key}" for key in value if key not in properties]
        for key, item in value.items():
            if key in properties:
                problems += conforms(document, item, properties[key])
    return problems


@pytest.fixture
def document(client) -> dict:
    response = client.get(reverse("api_openapi"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_r_k5_openapi_document_is_3_1_and_its_path_is_the_real_url(document):
    assert document["openapi"] == "3.1.0"
    assert document["info"]["title"] == "职业技能等级证书查验接口"
    assert list(document["paths"]) == [API]
    assert resolve(API).url_name == "api_certificate_verify"
    assert reverse("api_openapi") == openapi.OPENAPI_PATH
    operation = document["paths"][API]["get"]
    assert {p["name"] for p in operation["parameters"]} == {"number", "name"}
    assert all(p["required"] and p["in"] == "query" for p in operation["parameters"])
    assert set(operation["responses"]) == {"200", "400", "405", "429"}
    assert set(operation["responses"]["200"]["content"]["application/json"]["examples"]) == {
        "valid",
        "revoked",
        "replaced",
        "not_found",
        "legacy",
    }
    assert "Retry-After" in operation["responses"]["429"]["headers"]


def test_r_k5_openapi_parameters_say_what_the_api_refuses(document):
    """An empty or blank parameter answers 400, so the document asks for a non-blank one."""
    parameters = {p["name"]: p["schema"] for p in document["paths"][API]["get"]["parameters"]}
    for name, limit in [("number", 64), ("name", 50)]:
        schema = parameters[name]
        assert schema["minLength"] == 1
        assert schema["maxLength"] == limit
        pattern = re.compile(schema["pattern"])
        assert pattern.search("张三丰")
        assert not pattern.search("")
        assert not pattern.search("   ")
        assert not pattern.search("张\x00三")


@pytest.mark.parametrize(
    "params",
    [
        {"number": "", "name": "张三丰"},
        {"number": "   ", "name": "张三丰"},
        {"number": UNKNOWN_NUMBER, "name": ""},
        {"number": UNKNOWN_NUMBER, "name": "张\x00三"},
    ],
)
def test_r_k5_what_the_document_forbids_answers_400(client, document, params):
    parameters = {p["name"]: p["schema"] for p in document["paths"][API]["get"]["parameters"]}
    assert any(
        len(value) < parameters[name]["minLength"]
        or not re.search(parameters[name]["pattern"], value)
        for name, value in params.items()
    )
    assert client.get(API, params).status_code == 400


def test_r_k5_openapi_refs_all_resolve(document):
    text = json.dumps(document)
    for name in {part.split('"')[0] for part in text.split('"#/components/schemas/')[1:]}:
        assert name in document["components"]["schemas"], name


def test_r_k5_openapi_examples_conform_to_their_schemas(document):
    for status, response in document["paths"][API]["get"]["responses"].items():
        content = response["content"]["application/json"]
        for name, example in content.get("examples", {}).items():
            assert conforms(document, example["value"], content["schema"]) == [], (status, name)


def test_r_k5_real_answers_conform_to_the_openapi_schemas(
    client, document, certificate, alice, settings
):
    responses = document["paths"][API]["get"]["responses"]

    def check(response):
        status = str(response.status_code)
        schema = responses[status]["content"]["application/json"]["schema"]
        assert conforms(document, response.json(), schema) == [], response.json()
        return response.json()

    assert check(ask(client, number=certificate.number, name="张三丰"))["result"] == "valid"
    assert check(ask(client, number=UNKNOWN_NUMBER, name="张三丰"))["result"] == "not_found"
    assert check(ask(client, number="1234567890123456", name="张三丰"))["result"] == "not_found"
    new = services.certificate_replace(
        certificate=certificate, actor=alice, kind="reissue", reason="遗失"
    )
    assert check(ask(client, number=certificate.number, name="张三丰"))["replaced_by"] == new.number
    services.certificate_revoke(certificate=new, actor=alice, reason="冒用")
    assert check(ask(client, number=new.number, name="张三丰"))["result"] == "revoked"
    assert check(ask(client, name="张三丰"))["field"] == "number"
    assert check(client.post(API))["error"]
    settings.VERIFY_RATE_LIMIT = "1/60"
    cache.clear()
    ask(client, number=new.number, name="张三丰")
    assert check(ask(client, number=new.number, name="张三丰"))["retry_after"] >= 1


def test_r_k5_openapi_schema_rejects_what_it_should(document):
    """The hand-written checker is strict enough to catch a missing or an extra key."""
    schema = {"$ref": "#/components/schemas/Verification"}
    valid = document["paths"][API]["get"]["responses"]["200"]["content"]["application/json"]
    value = dict(valid["examples"]["valid"]["value"])
    assert conforms(document, value, schema) == []
    assert conforms(document, {**value, "revoked_on": "2026-12-01"}, schema) != []
    del value["issuer"]
    assert conforms(document, value, schema) != []


def test_r_k5_openapi_document_follows_the_reader_language(client):
    client.cookies["django_language"] = "en"
    english = client.get(reverse("api_openapi")).json()
    assert english["info"]["title"] == "Vocational skill level certificate verification API"


# The help page -----------------------------------------------------------------------------


def test_r_k5_api_docs_page_explains_with_curl_and_links_the_document(client, settings):
    settings.PORTAL_BASE_URL = "https://skills.example.cn"
    response = client.get(reverse("api_docs"))
    assert response.status_code == 200
    text = html.unescape(response.text)
    assert "证书查验接口" in text
    assert "curl -G 'https://skills.example.cn/api/v1/certificates/verify'" in text
    assert "--data-urlencode 'name=张三丰'" in text
    assert 'href="https://skills.example.cn/api/v1/openapi.json"' in text
    assert "每个客户端地址每 60 秒最多查询 30 次" in text
    assert "not_found" in text and "Retry-After" in text


def test_r_k5_api_rate_limit_is_counted_in_redis_shared_by_workers(
    client, certificate, settings, redis_cache
):
    """Production counts in Redis (one INCR per request); the window's key expires by itself."""
    settings.VERIFY_RATE_LIMIT = "2/60"
    answers = [ask(client, number=certificate.number, name="张三丰") for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    keys = redis_cache.keys(f"{redis_cache.prefix}:*")
    (key,) = [k for k in keys if b":ratelimit:verify:" in k]
    assert int(redis_cache.get(key)) == 3
    assert 0 < redis_cache.ttl(key) <= 61
    # The answer is cached beside it, masked: neither the name nor the ID number is in it.
    (answer,) = [k for k in keys if b"verify:answer" in k]
    cached = redis_cache.get(answer).decode()
    assert "张*丰" in cached
    assert "张三丰" not in cached and certificate.id_number not in cached
