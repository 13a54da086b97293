"""The provincial tier beside make_world(): gina reviews 广东省 (the province above 深圳 and 佛山),
shan reviews 山东省 (another province: 泰安市 → 泰山区). Import the fixtures into a test module."""

import pytest

from portal.core.models import Role
from tests.support.factories import BureauFactory, make_member


def another_province() -> dict:
    """山东省 → 泰安市 → 泰山区, with nobody of 广东's in it."""
    province = BureauFactory(code="37", name="山东省", level="province")
    taian = BureauFactory(code="3709", name="泰安市", level="city", parent=province)
    taishan = BureauFactory(code="370902", name="泰山区", level="district", parent=taian)
    return {"province": province, "city": taian, "district": taishan}


@pytest.fixture
def shandong(world):
    return another_province()


@pytest.fixture
def gina(world):
    return make_member("gina", Role.PROVINCE, bureau=world["province"])


@pytest.fixture
def shan(shandong):
    return make_member("shan", Role.PROVINCE, bureau=shandong["province"])
