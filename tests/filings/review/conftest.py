"""A local world for the routing and confirmation tests: 山东省 → 泰安市 → 泰山区 with the
Shandong preset (seed 004), and the municipality 北京市 → 朝阳区 with the Beijing preset (seed
002). tests/support/factories.make_world stays as it is."""

import datetime as dt

import pytest

from filings.filings import services as filing_services
from filings.review import services as review_services
from portal.core.presets import apply_preset
from tests.support.factories import BureauFactory, make_member

FRIDAY = dt.date(2026, 9, 25)  # inside Beijing's second yearly window (06-01 … 10-31)


@pytest.fixture
def friday(monkeypatch):
    """The services see Friday 25 September 2026."""
    monkeypatch.setattr(filing_services, "_today", lambda: FRIDAY)
    monkeypatch.setattr(review_services, "_today", lambda: FRIDAY)
    return FRIDAY


@pytest.fixture
def places(db):
    shandong = BureauFactory(code="37", name="山东省职业技能鉴定指导中心", level="province")
    taian = BureauFactory(code="3709", name="泰安市", level="city", parent=shandong)
    taishan = BureauFactory(code="370902", name="泰山区", level="district", parent=taian)
    beijing = BureauFactory(code="11", name="北京市", level="city", parent=None)
    chaoyang = BureauFactory(code="110105", name="朝阳区", level="district", parent=beijing)
    apply_preset(shandong, "shandong")
    apply_preset(beijing, "beijing")
    return {
        "shandong": shandong,
        "taian": taian,
        "taishan": taishan,
        "beijing": beijing,
        "chaoyang": chaoyang,
    }


@pytest.fixture
def staff(places):
    return {
        "sd": make_member("sd-officer", "province", bureau=places["shandong"]),
        "sd_expert": make_member("sd-expert", "expert", bureau=places["shandong"]),
        "ta": make_member("ta-officer", "city", bureau=places["taian"]),
        "bj1": make_member("bj-centre", "city", bureau=places["beijing"]),
        "bj2": make_member("bj-bureau", "city", bureau=places["beijing"]),
        "cy": make_member("cy-district", "district", bureau=places["chaoyang"]),
    }
