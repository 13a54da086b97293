"""Fixtures of the workflow notice tests: the Beijing and Shandong world of the filing review
tests (tests/filings/review/conftest.py), a second operator of enterprise A and a second
officer of 深圳, so that "every operator" and "the other officers" can be seen."""

import pytest

from portal.core.models import Role
from tests.filings.review.conftest import places, staff  # noqa: F401 (fixtures)
from tests.support.factories import make_member


@pytest.fixture
def amy(ent_a):
    """A second operator of enterprise A: every operator is told."""
    return make_member("amy", Role.ENTERPRISE, enterprise=ent_a)


@pytest.fixture
def cora(world):
    """A second officer of 深圳: the city's other officers are told when carl acts."""
    return make_member("cora", Role.CITY, bureau=world["city"])


@pytest.fixture(autouse=True)
def _announcer_faults_fail_the_test(monkeypatch):
    """The listener logs and swallows an announcer's fault so the step stands; here the fault
    fails the test instead of passing silently with nobody told."""
    from supervision.notifications import events

    def fail(message, *args, **kwargs):
        raise AssertionError(message % args)

    monkeypatch.setattr(events.logger, "exception", fail)
