"""R-K5: cached verification answers are never staler than the certificate, and a cache that is
down does not take verification with it."""

import pytest
from django.urls import reverse

from certificates.revocation import services
from certificates.verification import lookup as verification
from portal.core import ratelimit
from tests.certificates.factories import issued_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(ent_a, alice):
    return issued_batch(ent_a, alice, "passed").certificates.get()


def ask(client, number, name):
    return client.get(reverse("api_certificate_verify"), {"number": number, "name": name})


def test_r_k5_a_revocation_shows_at_once_although_the_answer_was_cached(
    client, certificate, alice, django_assert_num_queries
):
    assert ask(client, certificate.number, certificate.holder_name).json()["result"] == "valid"
    with django_assert_num_queries(0):  # the second lookup is answered from the cache
        assert ask(client, certificate.number, certificate.holder_name).json()["result"] == "valid"
    services.certificate_revoke(certificate=certificate, actor=alice, reason="伪造考核记录")
    answer = ask(client, certificate.number, certificate.holder_name).json()
    assert (answer["result"], answer["revoked_reason"]) == ("revoked", "伪造考核记录")


def test_r_k5_a_cached_answer_still_needs_the_right_name(client, certificate):
    ask(client, certificate.number, certificate.holder_name)
    wrong = ask(client, certificate.number, "李四").json()
    unknown = ask(client, certificate.number[:-1] + "9", "李四").json()
    assert wrong == {**unknown, "number": certificate.number}
    assert wrong["result"] == "not_found"


def test_r_k5_verification_answers_when_the_cache_is_down(client, certificate, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache unavailable")

    monkeypatch.setattr(ratelimit, "_count_and_get", down)
    monkeypatch.setattr(ratelimit, "_redis_client", down)
    answer = ask(client, certificate.number, certificate.holder_name)
    assert answer.status_code == 200 and answer.json()["result"] == "valid"


def test_r_k5_the_cache_can_be_switched_off(
    client, certificate, settings, django_assert_num_queries
):
    settings.VERIFY_CACHE_SECONDS = 0
    ask(client, certificate.number, certificate.holder_name)
    with django_assert_num_queries(1):
        ask(client, certificate.number, certificate.holder_name)
    assert verification.answer_key(certificate.number).startswith("verify:answer:")


def test_r_k5_counting_survives_a_redis_that_lost_its_scripts(client, certificate, redis_cache):
    """After a Redis restart the script is gone: one lookup goes through uncounted, the next
    reloads it; no user sees an error."""
    assert ask(client, certificate.number, certificate.holder_name).status_code == 200
    redis_cache.script_flush()
    answers = [ask(client, certificate.number, certificate.holder_name) for _ in range(2)]
    assert [a.json()["result"] for a in answers] == ["valid", "valid"]
    keys = redis_cache.keys(f"{redis_cache.prefix}:*")
    (counter,) = [k for k in keys if b":ratelimit:verify:" in k]
    assert int(redis_cache.get(counter)) == 2  # the first and the third lookup were counted
