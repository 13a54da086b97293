"""The filing lifecycle in a real browser, as the issue's newcomer walks it (R-F5 … R-F7)."""

import re

import pytest

from filings.models import FilingStatus
from tests.e2e.conftest import press, shoot
from tests.support.factories import complete_filing

pytestmark = pytest.mark.django_db(transaction=True)


def test_register_file_review_evaluate_approve_and_find_it_in_the_directory(
    open_page, live_server, ent_a, alice, dora, carl, erin
):
    # A new enterprise registers and its district activates it.
    visitor = open_page()
    visitor.goto(f"{live_server.url}/register/")
    visitor.fill("#id_name", "深圳市南山新注册精工科技有限公司")
    visitor.fill("#id_credit_code", "91440300MA5000009")  # one character short
    visitor.click("button[type=submit]")
    assert "统一社会信用代码应为18位" in visitor.content()
    assert visitor.input_value("#id_name") == "深圳市南山新注册精工科技有限公司"
    shoot(visitor, "01-registration-errors")

    # The draft of enterprise A is complete; alice submits it to her district.
    filing = complete_filing(ent_a, uploaded_by=alice)
    page = open_page("alice")
    page.goto(f"{live_server.url}/filings/{filing.pk}/")
    assert "平台可检查的各项条件均已满足" in page.content()
    page.check("input[name=pledge]")  # seed 004 附件1: the applicant's pledge
    press(page, "button:text-is('提交备案申请')", "备案申请已提交")
    shoot(page, "02-submitted")

    district = open_page("dora")
    district.goto(f"{live_server.url}/filings/{filing.pk}/")
    district.fill("#id_opinion", "材料齐全，同意报市级审核。")
    press(district, "button[value=forward]", "备案申请已报市级审核")

    city = open_page("carl")
    city.goto(f"{live_server.url}/dashboard/")
    assert ent_a.name in city.content()
    city.goto(f"{live_server.url}/filings/{filing.pk}/")
    # The 20-working-day clock runs (R-F6); the days left depend on today's date.
    assert re.search(r"剩余\d+个工作日|已超期\d+个工作日|日历缺失", city.content())
    city.check("input[name=experts]")
    press(city, "button:text-is('指派')", "已指派专家")
    shoot(city, "03-experts-assigned")

    expert = open_page("erin")
    expert.goto(f"{live_server.url}/filings/{filing.pk}/opinion/")
    expert.fill("#id_visited_on", "2026-11-20")
    # Seed 001 §六(一)2: the Shenzhen checklist's four items, 91 in all.
    for index, score in enumerate((28, 18, 18, 27)):
        expert.fill(f"#id_item_{index}_score", str(score))
    expert.check("input[name=recommendation][value=approve]")
    expert.fill("#id_opinion", "场地、设备和考评人员符合要求。")
    press(expert, "button:text-is('提交意见')", "您的意见已记录")

    city.goto(f"{live_server.url}/filings/{filing.pk}/")
    city.check("input[name=decision][value=approve]")
    press(city, "button:text-is('提交决定')", "已准予备案")
    shoot(city, "04-approved")
    filing.refresh_from_db()
    assert filing.status == FilingStatus.APPROVED

    public = open_page()
    public.goto(f"{live_server.url}/directory/?name=南山精密")
    assert filing.number in public.content()
    shoot(public, "05-directory")

    page.goto(f"{live_server.url}/filings/{filing.pk}/")
    receipt_url = page.get_attribute("text=下载备案回执（PDF）", "href")
    receipt = page.request.get(f"{live_server.url}{receipt_url}")
    assert receipt.headers["content-type"] == "application/pdf"
    assert receipt.body().startswith(b"%PDF")
    assert open_page.errors == []
