"""The public verification API keeps the promises of its OpenAPI file (issue 18): schemathesis
generates requests from the file the portal serves, valid and invalid, and every answer is no
server error, with a status code, content type and body the file declares."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, settings

from tests.certificates.factories import issued_batch

APP = get_wsgi_application()


def _served_schema() -> dict:
    # The file as the portal serves it (no database needed to answer it).
    return json.loads(Client().get(reverse("api_openapi")).content)


schema = schemathesis.openapi.from_dict(_served_schema())
schema.app = APP


@pytest.fixture(autouse=True)
def _certificates(db, ent_a, alice, settings):
    # A few real certificates, and no rate limit: a 429 is declared, but answers past it say
    # nothing about the rest of the file.
    settings.VERIFY_RATE_LIMIT = "100000/60"
    issued_batch(ent_a, alice, "passed")


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # The WSGI handler closes the connection after each request, which would end the test's
    # transaction; Django's test client keeps it the same way.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_of_the_api_is_the_one_its_openapi_file_promises(case):
    case.call_and_validate()
