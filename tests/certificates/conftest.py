from unittest import mock

import pytest

from tests.certificates.factories import TODAY


@pytest.fixture
def frozen_today():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield TODAY
