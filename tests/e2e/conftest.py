"""Browser tests: pytest-playwright drives Debian's chromium against Django's live server.

pytest-playwright owns the browser (`playwright` → `browser` → `new_context`); nothing here
downloads a browser: the launch arguments point it at the system chromium. `open_page` opens one
browser context per persona, logged in, so each role keeps its own session cookie.
"""

import importlib
import os
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from portal.core import workdays
from portal.core.models import CalendarYear

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "pass-Word-123"  # tests.support.factories.UserFactory


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # between page actions are still plain synchronous calls.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}, "locale": "zh-CN"}


@pytest.fixture(scope="session")
def base_url(live_server):
    """Overrides pytest-playwright's (and its deprecation warning): the live server."""
    return live_server.url


@pytest.fixture
def calendar(db):
    """A transactional test flushes the migration-seeded calendar of the tests before it: load
    it again (idempotent), and give the next year a weekday-only calendar if it has none, so no
    deadline of a walk hits CalendarMissing."""
    seed = importlib.import_module("portal.core.migrations.0003_seed_calendar")
    seed.load_calendar(django_apps, None)
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "e2e test"})
    workdays.clear_cache()
    return today


@pytest.fixture
def open_page(new_context, live_server):
    """A new browser context per persona, logged in when a user name is given; pytest-playwright
    closes the contexts after the test. `open_page.errors` collects what the browser reported
    as an error on any of the pages: a script error, a resource that failed to load, an inline
    script or style the Content-Security-Policy refused."""
    errors: list[str] = []

    def open_as(username: str | None = None, password: str = PASSWORD):
        page = new_context().new_page()
        page.set_default_timeout(15000)
        page.on(
            "console",
            lambda message: (
                errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        if username:
            login(page, live_server.url, username, password)
        return page

    open_as.errors = errors
    return open_as


def login(page, url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{url}/dashboard/")


def press(page, button: str, then: str) -> None:
    """Click `button` (a CSS selector) and wait until the page says `then`."""
    page.click(button)
    page.wait_for_selector(f"text={then}")


def shoot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def click_nav(page, link: str) -> None:
    """Click the main menu's `link` (a CSS selector) as a person would: a link inside a menu
    group is reached by opening the group first."""
    target = page.locator(f"nav.main-nav {link}")
    group = page.locator("nav.main-nav details", has=page.locator(link))
    if group.count() and group.get_attribute("open") is None:
        group.locator("summary").click()
    target.click()
