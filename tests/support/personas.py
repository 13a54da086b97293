"""The personas (after healthchecks): alice operates 南山 enterprise A; bob operates 福田
enterprise B; dora reviews 南山 (district), fred reviews 福田, carl is the city reviewer and
admin, erin is an expert, sam a supervisor; olga reviews another city. Each test gets a fresh
world."""

import pytest

from tests.support.factories import EnterpriseFactory, make_member, make_world


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def ent_a(world):
    return EnterpriseFactory(name="南山精密机械有限公司", district=world["nanshan"])


@pytest.fixture
def ent_b(world):
    return EnterpriseFactory(name="福田电子科技有限公司", district=world["futian"])


@pytest.fixture
def alice(ent_a):
    return make_member("alice", "enterprise", enterprise=ent_a)


@pytest.fixture
def bob(ent_b):
    return make_member("bob", "enterprise", enterprise=ent_b)


@pytest.fixture
def dora(world):
    return make_member("dora", "district", bureau=world["nanshan"])


@pytest.fixture
def fred(world):
    return make_member("fred", "district", bureau=world["futian"])


@pytest.fixture
def carl(world):
    return make_member("carl", "city", bureau=world["city"], is_admin=True)


@pytest.fixture
def olga(world):
    return make_member("olga", "city", bureau=world["other_city"])


@pytest.fixture
def erin(world):
    return make_member("erin", "expert", bureau=world["city"])


@pytest.fixture
def sam(world):
    return make_member("sam", "supervisor", bureau=world["city"])
