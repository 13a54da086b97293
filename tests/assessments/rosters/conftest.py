import pytest

from tests.assessments.factories import PlanFactory


@pytest.fixture
def plan(ent_a):
    """A draft plan of A for levels 5 and 4, the levels the roster rows of the factories use."""
    return PlanFactory(enterprise=ent_a, levels=[5, 4])
