"""Accessibility in a real browser: axe-core (the copy bundled by axe-playwright-python, installed
with the dev extras, nothing downloaded at run time) finds no violation of any impact on every
kind of page, as every role, at a desktop width (1366 px) and a phone width (390 px); no text is
under 16 px or in lines under 1.5 times its size, no aria-describedby names a missing id, and at
390 px no page scrolls sideways. The large-text mode (大字模式) enlarges the text for real.

One live server, one browser, one context per role (its session cookie made with the world, as
the access matrix makes them); each page is checked at both widths without reloading it.
"""

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.urls import reverse

from certificates.models import Certificate
from tests.security.world import build
from tests.support.factories import EnterpriseFactory, FilingFactory, approved_filing
from tests.test_access_matrix import MATRIX

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1366, 390)

# Every kind of page as every role: the desk, lists, details (filing, scheme, plan, roster,
# result batch, certificate), forms, the account page. URL names of the access matrix, whose
# row names the object (of side A) the page is about.
PAGES = {
    None: [
        "home",
        "login",
        "directory",
        "public_sanction_list",
        "complaint_create",
        "complaint_track",
        "certificate_verify",
        "certificate_holder_download",
        "public_draw_list",
        "enterprise_register",
    ],
    "alice": [  # the enterprise's operator
        "dashboard",
        "notification_list",
        "filing_list",
        "filing_edit",
        "scheme_list",
        "scheme_detail",
        "plan_list",
        "plan_edit",
        "roster_job",
        "score_grid",
        "result_batch",
        "certificate_list",
        "certificate_detail",
        "issue_batch_detail",
        "annual_report_mine",
        "account_security",
    ],
    "dora": [  # district reviewer
        "dashboard",
        "filing_list",
        "filing_detail",
        "enterprise_list",
        "complaint_list",
        "complaint_detail",
    ],
    "carl": [  # city reviewer and city administrator
        "dashboard",
        "filing_list",
        "filing_detail",
        "scheme_detail",
        "plan_list",
        "plan_detail",
        "roster_detail",
        "result_filing_list",
        "result_batch",
        "certificate_detail",
        "issue_batch_list",
        "sanction_list",
        "sanction_detail",
        "draw_list",
        "inspection_list",
        "stats_dashboard",
        "city_settings",
        "audit_trail",
        "window_list",
        "calendar_year",
        "numbering_prefix_list",
        "examiner_list",
        "account_security",
    ],
    "cora": [  # city reviewer, not an administrator
        "dashboard",
        "filing_detail",
        "scheme_decide",
        "complaint_list",
    ],
    "gina": [  # provincial reviewer
        "dashboard",
        "filing_list",
        "filing_detail",
        "certificate_list",
        "sanction_report_list",
    ],
    "erin": [  # expert
        "dashboard",
        "filing_list",
        "filing_detail",
        "filing_expert_opinion",
        "scheme_detail",
        "scheme_expert_opinion",
    ],
    "sam": [  # quality supervisor
        "dashboard",
        "inspection_list",
        "inspection_detail",
        "inspection_record",
        "account_security",
    ],
}
# Forms sent empty (the browser's own checks switched off): the page with the form's errors.
BOUND_FORMS = {
    None: ["enterprise_register", "complaint_create", "certificate_verify"],
    "alice": ["filing_edit", "plan_edit"],
    "carl": ["window_add", "sanction_create"],
    "cora": ["scheme_decide"],
    "erin": ["filing_expert_opinion"],
}


@pytest.fixture
def a11y_world(calendar, settings):
    settings.VERIFY_RATE_LIMIT = "0/60"
    settings.HOLDER_DOWNLOAD_RATE_LIMIT = "0/60"
    settings.SESSION_IDLE_SECONDS = 24 * 3600
    return build()


def _url(world, name: str) -> str:
    key = MATRIX[name][0]
    return reverse(name, kwargs=world.objects["A"][key] if key else None)


def _axe(page) -> list[str]:
    """axe-core's violations on the page as it is now, one line per rule and element."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary'][:160]!r}"
        for v in result["violations"]
        for node in v["nodes"]
    ]


# Every id an aria-describedby or aria-labelledby names is on the page (axe-core lets a
# reference pass when one of its ids exists).
DANGLING = """() => [...document.querySelectorAll("[aria-describedby], [aria-labelledby]")].flatMap(
  el => ["aria-describedby", "aria-labelledby"].flatMap(attr => (el.getAttribute(attr) || "")
    .split(/\\s+/).filter(id => id && !document.getElementById(id))
    .map(id => `${attr} of #${el.id || el.tagName} names a missing #${id}`)))"""


# Every text on the page at least 16 px, in lines at least 1.5 times its size.
SMALL_TEXT = """() => [...document.querySelectorAll("body *")].filter(el =>
  [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())
  && el.getClientRects().length
).flatMap(el => {
  const style = getComputedStyle(el), size = parseFloat(style.fontSize);
  const line = style.lineHeight === "normal" ? 0 : parseFloat(style.lineHeight);
  return size < 16 || line < 1.5 * size - 0.01
    ? [`${el.tagName} ${size}px/${style.lineHeight} '${el.textContent.trim().slice(0, 20)}'`]
    : [];
})"""
SIDEWAYS = "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
NEXT_FRAME = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def _check(page, label: str, found: list[str]) -> None:
    found.extend(f"{label}: {line}" for line in page.evaluate(DANGLING))
    found.extend(f"{label}: small text {line}" for line in page.evaluate(SMALL_TEXT)[:5])
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate(NEXT_FRAME)  # the page's own resize handlers have run
        found.extend(f"{label} @{width}px: {line}" for line in _axe(page))
        if width < 640 and page.evaluate(SIDEWAYS):
            found.append(f"{label} @{width}px: the page scrolls sideways (WCAG 1.4.10)")


def _send_empty(page) -> None:
    """Submit the page's main form with the browser's own checks off, as a server would see a
    form sent with its required fields left empty."""
    with page.expect_navigation():
        page.eval_on_selector(
            "main form[method=post]:has(button[type=submit])",
            "form => { form.noValidate = true; form.requestSubmit(); }",
        )


def test_every_kind_of_page_has_no_accessibility_violation_as_any_role(
    a11y_world, browser, live_server
):
    world, base, found = a11y_world, live_server.url, []
    certificate = Certificate.objects.filter(enterprise=world.enterprises["A"]).first()
    for persona in PAGES:
        context = browser.new_context(locale="zh-CN")
        if persona:
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": world.sessions[persona],
                        "url": base,
                    }
                ]
            )
        page = context.new_page()
        who = persona or "anonymous"
        for name in PAGES[persona]:
            response = page.goto(base + _url(world, name))
            assert response.status == 200, f"{who} {name}: {response.status}"
            _check(page, f"{who} {name}", found)
        for name in BOUND_FORMS.get(persona, []):
            page.goto(base + _url(world, name))
            _send_empty(page)
            _check(page, f"{who} {name} (with errors)", found)
        if persona is None:
            page.goto(base + reverse("certificate_verify"))
            page.fill("#id_number", certificate.number)
            page.fill("#id_name", certificate.holder_name)
            with page.expect_navigation():
                page.click("main button[type=submit]")
            assert page.locator(".verdict, .card").count()
            _check(page, "anonymous certificate_verify (answered)", found)
            assert page.goto(base + "/no-such-page/").status == 404
            _check(page, "anonymous page not found", found)
        context.close()
    assert not found, "\n".join(found)


# Whether the page scrolls sideways, and the size of its body text and of its first heading.
MEASURE = """() => ({
  sideways: document.documentElement.scrollWidth > document.documentElement.clientWidth,
  body: parseFloat(getComputedStyle(document.body).fontSize),
  heading: parseFloat(getComputedStyle(document.querySelector("h1")).fontSize),
  large: document.documentElement.classList.contains("large-text"),
})"""


def _switch_large_text(page) -> None:
    """On a phone the switch sits in the folded menu: the visitor opens it first."""
    menu = page.locator("header .site-menu > summary")
    if menu.is_visible():
        menu.click()
    with page.expect_navigation():
        page.click("header .text-size button")


def test_large_text_mode_enlarges_the_text_and_keeps_a_phone_page_from_scrolling_sideways(
    calendar, world, ent_a, alice, dora, open_page, live_server, settings
):
    settings.VERIFY_RATE_LIMIT = "0/60"
    approved_filing(ent_a, "440320260009", approved_on=calendar)
    for status in ("district_review", "draft"):
        FilingFactory(enterprise=EnterpriseFactory(district=world["nanshan"]), status=status)
    base, found = live_server.url, []
    visitor = open_page()
    visitor.set_viewport_size({"width": 390, "height": 800})
    visitor.goto(base + reverse("certificate_verify"))
    before = visitor.evaluate(MEASURE)
    _switch_large_text(visitor)
    after = visitor.evaluate(MEASURE)
    assert after["large"] and not before["large"]
    assert before["body"] >= 16 and after["body"] >= 1.2 * before["body"]
    assert after["heading"] >= 1.2 * before["heading"]
    assert not after["sideways"], "the verify page scrolls sideways in large text at 390 px"
    _check(visitor, "anonymous certificate_verify (large text)", found)
    # The choice stays with the visitor, on every page and after a query.
    visitor.fill("#id_number", "Y000044012345264000001")
    visitor.fill("#id_name", "张三")
    with visitor.expect_navigation():
        visitor.click("main button[type=submit]")
    answered = visitor.evaluate(MEASURE)
    assert answered["large"] and not answered["sideways"]
    for persona in ("alice", "dora"):
        page = open_page(persona)
        page.set_viewport_size({"width": 390, "height": 800})
        _switch_large_text(page)
        desk = page.evaluate(MEASURE)
        assert desk["large"] and desk["body"] >= 20
        assert not desk["sideways"], f"{persona}'s desk scrolls sideways in large text at 390 px"
        _check(page, f"{persona} dashboard (large text)", found)
    assert not found, "\n".join(found)
