"""The Content-Security-Policy in a real browser: representative pages of every role load in
Chromium without one violation (no inline script or style left anywhere), the behaviour moved
into portal/static/portal/portal.js still works under the policy (the language switch, a
progress bar that follows a background job), and the detector itself sees a violation."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessments.models import RosterImport, RosterImportPhase
from tests.assessments.factories import PlanFactory, checked_roster_job
from tests.assessments.scores.factories import acknowledged_plan_with_roster
from tests.e2e.conftest import shoot
from tests.support.factories import EnterpriseFactory, approved_filing

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "pass-Word-123"  # what open_page logs in with

# Runs in every page before its own scripts: the browser's report of each refused resource.
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline")
    + " " + (event.sourceFile || "") + ":" + event.lineNumber);
});
"""


def _watch(page) -> list[str]:
    """Console reports of the policy, for the page's whole life."""
    reported: list[str] = []
    page.add_init_script(WATCH)
    page.on(
        "console",
        lambda message: (
            reported.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return reported


def _visit(page, url: str) -> list[str]:
    """Load the page and return the violations it reported while loading."""
    page.goto(url)
    page.wait_for_load_state("load")
    return [f"{url}: {v}" for v in page.evaluate("window.__cspViolations || []")]


@pytest.fixture
def pages(calendar, world, ent_a, alice, dora, carl):
    """Objects behind the representative pages: a plan submitted for review with its roster,
    an acknowledged plan with scores to enter, a roster upload still being checked."""
    submitted = PlanFactory(
        enterprise=EnterpriseFactory(district=world["nanshan"]),
        status="submitted",
        submitted_on=dt.date(2026, 3, 2),
    )
    approved_filing(ent_a, "440320260009", approved_on=dt.date(2026, 1, 5))
    scores = acknowledged_plan_with_roster(ent_a)
    get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)
    draft = PlanFactory(enterprise=ent_a)
    job = checked_roster_job(plan=draft, actor=alice)
    return {
        "roster": reverse("roster_detail", kwargs={"pk": submitted.pk}),
        "scores": reverse("score_grid", kwargs={"pk": scores.pk}),
        "job": job,
        "job_url": reverse("roster_job", kwargs={"pk": draft.pk, "job_id": job.pk}),
        "year": calendar.year,
    }


def test_representative_pages_load_without_a_policy_violation(open_page, live_server, pages):
    url = live_server.url
    visits = {
        None: [
            "/",
            reverse("login"),
            reverse("certificate_verify"),
            reverse("certificate_verify_file"),
            reverse("complaint_create"),
            reverse("public_draw_list"),
            reverse("directory"),
        ],
        "carl": [
            reverse("dashboard"),
            reverse("stats_dashboard"),
            reverse("calendar_year", kwargs={"year": pages["year"]}),
            reverse("inspection_list"),
            pages["roster"],
            reverse("staff_two_factor"),
        ],
        "alice": [reverse("filing_create"), pages["scores"], pages["job_url"]],
        "dora": [reverse("two_factor_setup"), reverse("account_security")],
        "root": ["/django-admin/", "/django-admin/core/bureau/", "/django-admin/axes/"],
    }
    violations: list[str] = []
    for username, paths in visits.items():
        page = open_page(username)
        reported = _watch(page)
        for number, path in enumerate(paths, 1):
            violations += _visit(page, url + path)
            assert page.url.startswith(url + path), f"{path} sent {username} to {page.url}"
            shoot(page, f"csp-{username or 'anon'}-{number}")
        violations += reported
    # The stats page drew its charts as inline SVG, the enrolment page its QR code.
    assert violations == []


def test_the_language_switch_works_under_the_policy(open_page, live_server, db, world):
    page = open_page()
    reported = _watch(page)
    _visit(page, live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    with page.expect_navigation():
        page.select_option("select[name=language]", "en")

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.evaluate("window.__cspViolations") == []
    assert reported == []


def test_a_progress_bar_follows_its_job_and_reloads_when_done(open_page, live_server, pages):
    job = pages["job"]
    RosterImport.objects.filter(pk=job.pk).update(
        phase=RosterImportPhase.CHECKING, claimed_at=timezone.now(), done=1, total=2
    )
    page = open_page("alice")
    reported = _watch(page)
    _visit(page, live_server.url + pages["job_url"])
    assert page.locator("progress[data-poll-url]").count() == 1

    RosterImport.objects.filter(pk=job.pk).update(
        phase=RosterImportPhase.CHECKED, claimed_at=None, done=2
    )

    page.wait_for_selector("progress[data-poll-url]", state="detached", timeout=15000)
    assert page.locator("form[action$='/import/']").count() == 1
    assert reported == []


def test_the_watch_sees_an_inline_script(open_page, live_server, db, world):
    """The detector is not blind: a script injected inline is refused and reported."""
    page = open_page()
    reported = _watch(page)
    _visit(page, live_server.url + "/")

    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__ran = true";
        document.body.appendChild(script);
        const styled = document.createElement("div");
        styled.setAttribute("style", "color: red");
        document.body.appendChild(styled);
    }"""
    )
    page.wait_for_function("window.__cspViolations.length >= 2")

    assert page.evaluate("window.__ran === undefined")
    directives = " ".join(page.evaluate("window.__cspViolations"))
    assert "script-src" in directives and "style-src" in directives
    assert any("Content Security Policy" in text for text in reported)
