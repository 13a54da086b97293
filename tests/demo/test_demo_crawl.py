"""The demo as its users walk it: every page reachable by links from each demo user's desk (and
from the public home page) answers without a server error, under either ID cipher (ID_CIPHER
aes, the default, and sm4, 国密) — issue 18's "the demo runs and its crawl is clean"."""

import re
from collections import deque
from urllib.parse import urldefrag

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.management.commands.seed_demo import DEFAULT_PASSWORD

USERS = ["enterprise1", "enterprise2", "district1", "city", "expert", "supervisor"]
LINK = re.compile(r'href="(/[^"]*)"')
# Leaving, switching language or reaching the Django admin is not a page of the portal.
SKIP = re.compile(r"^/(static/|django-admin/|accounts/logout|i18n/|media/)")
PAGES_PER_USER = 150


def crawl(client: Client, start: str, on_page=None) -> dict[str, int]:
    """Status of each page reached by links from `start`; `on_page(url, html)` sees each HTML
    page."""
    seen: dict[str, int] = {}
    queue = deque([start])
    while queue and len(seen) < PAGES_PER_USER:
        url = urldefrag(queue.popleft()).url.replace("&amp;", "&")
        if url in seen or SKIP.match(url):
            continue
        response = client.get(url)
        seen[url] = response.status_code
        if response.get("Content-Type", "").startswith("text/html"):
            html = response.content.decode()
            if on_page is not None and response.status_code == 200:
                on_page(url, html)
            for link in LINK.findall(html):
                # One page of a list stands for all its pages.
                if "page=" not in link:
                    queue.append(link)
    return seen


@pytest.fixture
def demo(db, settings, monkeypatch, request):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    settings.ID_CIPHER = request.param
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("demo", ["aes", "sm4"], indirect=True)
def test_every_page_a_demo_user_reaches_answers_without_a_server_error(demo):
    failures = []
    visited = 0
    for username in [None, *USERS]:
        client = Client()
        if username:
            assert client.login(username=username, password=DEFAULT_PASSWORD), username
        seen = crawl(client, reverse("dashboard") if username else reverse("home"))
        visited += len(seen)
        failures += [f"{username} {url}: {code}" for url, code in seen.items() if code >= 500]
    assert not failures
    assert visited > 300, visited
