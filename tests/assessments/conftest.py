import pytest

from tests.assessments.schemes.factories import filed_line


@pytest.fixture
def line(ent_a):
    """An occupation of A's approved, valid filing."""
    return filed_line(ent_a)
