"""Issue 16: the public pages work on the phone that scans a certificate's QR code, and the
staff pages known to break at 390 px no longer do.

At 360 and 390 px wide, with enterprise and occupation names of 40 characters and more: nothing
scrolls sideways, every form control is at 16 px or more (iOS zooms into smaller ones), the
header is compact (the menu folds away), tables read as labelled cards, and after a query the
answer is within the first screen (390 × 740)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import AssessmentSession, SessionInvigilator
from certificates.models import Certificate
from certificates.verification.tokens import make_token
from filings.models import Occupation
from supervision.draws.algorithm import draw_create
from supervision.draws.services import draw_publish
from tests.assessments.scores.factories import acknowledged_plan_with_roster
from tests.certificates.factories import issued_batch
from tests.e2e.conftest import shoot
from tests.supervision.complaints.matrix_complaint import complaint_about
from tests.supervision.factories import supervisor_profile
from tests.support.factories import (
    EnterpriseFactory,
    FilingFactory,
    SanctionFactory,
    ScopeLineFactory,
    approved_filing,
    make_member,
)

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (360, 390)
HEIGHT = 740
HEADER_MAX = 100  # px; the header took 222 px at 390 before the menu folded away
LONG_NAME = "深圳市南山区粤海街道高新技术产业园区精密数控机床与智能制造装备股份有限公司"
LONG_OCCUPATION = "智能制造工程技术人员（工业互联网与数控加工生产线集成调试维护）"
HOLDER = "张三丰"

# What a phone shows of the page: sideways overflow, the header's height, the controls smaller
# than 16 px, the tables still drawn as tables.
MEASURE = """() => {
  const visible = (el) =>
    el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const small = [...document.querySelectorAll("input, select, textarea, button")]
    .filter((el) => el.type !== "hidden" && visible(el))
    .filter((el) => parseFloat(getComputedStyle(el).fontSize) < 16)
    .map((el) => el.outerHTML.slice(0, 80));
  const tables = [...document.querySelectorAll("main table")]
    .filter((t) => visible(t) && [...t.querySelectorAll("thead th")].some(visible))
    .map((t) => t.outerHTML.slice(0, 80));
  const wide = [...document.querySelectorAll("main *")]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
    .map((el) => el.tagName + "." + el.className);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    header: document.querySelector("header.top").getBoundingClientRect().height,
    small, tables, wide: wide.slice(0, 5),
  };
}"""


def _fits(page, label: str, *, cards: bool = True) -> None:
    assert page.locator("header.top").count() == 1, f"{label}: no page at {page.url}"
    seen = page.evaluate(MEASURE)
    where = f"{label} at {seen['innerWidth']} px"
    assert seen["scrollWidth"] <= seen["innerWidth"], f"{where} scrolls sideways: {seen['wide']}"
    assert seen["header"] <= HEADER_MAX, f"{where}: header {seen['header']} px high"
    assert seen["small"] == [], f"{where}: controls under 16 px {seen['small']}"
    if cards:
        assert seen["tables"] == [], f"{where}: tables not shown as cards {seen['tables']}"


def _answer_on_first_screen(page, selector: str, label: str) -> None:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{label}: no {selector}"
    assert box["y"] + 40 <= HEIGHT, f"{label}: the answer starts at {box['y']} px"


@pytest.fixture
def public(calendar, world, alice, ent_a):
    """A long-named enterprise in the directory with a long occupation, its certificate, its
    sanction, a published draw that picked it, and a complaint about it."""
    long_enterprise = EnterpriseFactory(
        name=LONG_NAME, district=world["nanshan"], address=LONG_NAME + "研发大楼A座十八层"
    )
    filing = approved_filing(long_enterprise, "440320260001", approved_on=timezone.localdate())
    ScopeLineFactory(
        filing=filing, occupation=Occupation.objects.create(code="2-02-07-99", name=LONG_OCCUPATION)
    )
    issued = issued_batch(ent_a, alice, "passed")
    certificate = issued.certificates.get()
    Certificate.objects.filter(pk=certificate.pk).update(
        holder_name=HOLDER,
        occupation_name=LONG_OCCUPATION,
        work_type_name=LONG_OCCUPATION,
        issuer_name=LONG_NAME,
    )
    SanctionFactory(enterprise=long_enterprise, reason="组织考生替考，弄虚作假；" * 6)
    carl = make_member("carl", "city", bureau=world["city"], is_admin=True)
    for name in ("何涛", "林静"):
        user = make_member(f"u{name}", "supervisor", bureau=world["city"])
        supervisor_profile(user, city=world["city"])
    draw = draw_create(
        city=world["city"],
        actor=carl,
        title="2026年第1批双随机一公开抽查（职业技能等级认定机构）",
        kind="enterprises",
        target_count=1,
        supervisors_per_target=1,
        today=timezone.localdate(),
    )
    draw_publish(draw=draw, actor=carl, today=timezone.localdate())
    complaint = complaint_about(long_enterprise, subject="理论考试有人替考，" + LONG_OCCUPATION)
    return {
        "certificate": certificate,
        "qr": reverse("certificate_qr", args=[make_token(certificate.public_id)]),
        "draw": draw,
        "complaint": complaint,
    }


def test_public_pages_fit_a_phone_and_answer_on_the_first_screen(open_page, live_server, public):
    url = live_server.url
    page = open_page()
    certificate, complaint = public["certificate"], public["complaint"]
    pages = {
        "home": "/",
        "verify": reverse("certificate_verify"),
        "qr": public["qr"],
        "qr-unknown": reverse("certificate_qr", args=["not-a-token"]),
        "download": reverse("certificate_holder_download"),
        "directory": reverse("directory"),
        "directory-search": reverse("directory") + "?q=" + LONG_NAME[:6],
        "sanctions": reverse("public_sanction_list") + "?show=all",
        "draws": reverse("public_draw_list"),
        "draw": reverse("public_draw_detail", args=[public["draw"].pk]),
        "complaint": reverse("complaint_create"),
        "track": reverse("complaint_track"),
        "api": reverse("api_docs"),
        "login": reverse("login"),
    }
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        for name, path in pages.items():
            page.goto(url + path)
            _fits(page, name)
        page.goto(url + public["qr"])
        _answer_on_first_screen(page, "#verification-result", "qr")
        assert certificate.number in page.inner_text("#verification-result")
        shoot(page, f"phone-{width}-qr")

        # Verify: found, then not found; the answer comes first.
        for number, name, expected in (
            (certificate.number, HOLDER, "有效证书"),
            ("Y000044012345264999999", HOLDER, "未查到证书"),
        ):
            page.goto(url + pages["verify"])
            page.fill("#id_number", number)
            page.fill("#id_name", name)
            page.click("main form.card button[type=submit]")
            page.wait_for_selector("#verification-result")
            _fits(page, f"verify {expected}")
            _answer_on_first_screen(page, "#verification-result", f"verify {expected}")
            assert expected in page.inner_text("#verification-result")
        shoot(page, f"phone-{width}-verify-not-found")

        # Following a complaint: found, then not found.
        for digits, selector in (("5678", "main .card code"), ("0000", "main .msg.error")):
            page.goto(url + pages["track"])
            page.fill("#id_reference", complaint.reference)
            page.fill("#id_phone_last4", digits)
            page.click("main form.card button[type=submit]")
            page.wait_for_selector(selector)
            _fits(page, f"track {digits}")
            _answer_on_first_screen(page, selector, f"track {digits}")
        shoot(page, f"phone-{width}-track")

        page.goto(url + pages["directory"])
        assert LONG_NAME in page.inner_text("main")
        shoot(page, f"phone-{width}-directory")

    # The folded menu opens without script and leads on.
    page.goto(url + "/")
    page.click("header .site-menu > summary")
    _fits(page, "the open menu")  # it drops over the page: the header keeps its height
    page.click("header a[href='/verify/']")
    page.wait_for_url(url + pages["verify"])
    # The one error on the way: the 404 of the unknown QR link, on purpose.
    assert [e for e in open_page.errors if "not-a-token" not in e] == []


def test_the_menu_is_unfolded_on_a_wide_screen(open_page, live_server, db, world):
    page = open_page()
    page.goto(live_server.url + "/")
    assert page.locator("header .site-menu > summary").is_hidden()
    assert page.locator("header a[href='/verify/']").is_visible()


@pytest.fixture
def staff(calendar, world, alice, ent_a, dora, carl):
    """A plan with sessions and a roster; filings of long-named enterprises."""
    ent_a.name = LONG_NAME
    ent_a.save(update_fields=["name"])
    plan = acknowledged_plan_with_roster(ent_a, size=4)
    session = AssessmentSession.objects.create(
        plan=plan,
        date=dt.date(2026, 11, 20),
        starts_at=dt.time(9),
        ends_at=dt.time(11),
        site=LONG_NAME + "实训基地三号楼",
        room="数控实训车间二",
    )
    SessionInvigilator.objects.create(
        session=session, name="监考员甲", organisation=LONG_NAME[:40], phone="13800138000"
    )
    for n in range(3):
        FilingFactory(
            enterprise=EnterpriseFactory(name=f"{LONG_NAME}{n}", district=world["nanshan"]),
            status="district_review",
            submitted_at=timezone.now(),
        )
    return {"plan": reverse("plan_detail", args=[plan.pk])}


def test_staff_pages_fit_a_phone(open_page, live_server, staff):
    url = live_server.url
    visits = {
        "alice": [staff["plan"], reverse("filing_list"), reverse("plan_list")],
        "dora": [
            reverse("filing_list"),
            reverse("enterprise_list"),
            reverse("complaint_list"),
            reverse("dashboard"),
        ],
        "carl": [reverse("numbering_prefix_list"), reverse("stats_dashboard")],
    }
    cards = {staff["plan"], *map(reverse, ("filing_list", "plan_list", "enterprise_list"))}
    for username, paths in visits.items():
        page = open_page(username)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": HEIGHT})
            for path in paths:
                page.goto(url + path)
                _fits(page, f"{username} {path}", cards=path in cards)
        shoot(page, f"phone-{username}")
    page = open_page("alice")
    page.set_viewport_size({"width": 390, "height": HEIGHT})
    page.goto(url + staff["plan"])
    shoot(page, "phone-plan")
    assert LONG_NAME in page.inner_text("main table")
