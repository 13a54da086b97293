"""The personas (after healthchecks): alice operates 南山 enterprise A; bob operates 福田
enterprise B; dora reviews 南山 (district), fred reviews 福田, carl is the city reviewer and
admin, erin is an expert, sam a supervisor; olga reviews another city. Each test gets a fresh
world."""

import pytest

from portal.core.models import Role
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
    return make_member("alice", Role.ENTERPRISE, enterprise=ent_a)


@pytest.fixture
def bob(ent_b):
    return make_member("bob", Role.ENTERPRISE, enterprise=ent_b)


def _bureau_persona(username: str, role: Role, bureau: str, **membership):
    """A fixture for the member `username` of the world's bureau `bureau`."""

    @pytest.fixture(name=username)
    def persona(world):
        return make_member(username, role, bureau=world[bureau], **membership)

    return persona


dora = _bureau_persona("dora", Role.DISTRICT, "nanshan")
fred = _bureau_persona("fred", Role.DISTRICT, "futian")
carl = _bureau_persona("carl", Role.CITY, "city", is_admin=True)
olga = _bureau_persona("olga", Role.CITY, "other_city")
erin = _bureau_persona("erin", Role.EXPERT, "city")
sam = _bureau_persona("sam", Role.SUPERVISOR, "city")
