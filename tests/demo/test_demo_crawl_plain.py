"""Issue 16, "crawl": every demo role, starting from its desk, follows every link of the portal
(GET only) and meets no page it may not open — no 403, no 404 — and no page that cites a rule id
(R-F1, R-P5 …) in the text a user reads. A tile or link pointing at a page the role cannot open,
or a message still naming its rule, fails here."""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.management.commands.seed_demo import DEFAULT_PASSWORD

# Every kind of account of the demo: operators, district, city and provincial reviewers,
# experts and a quality supervisor, in Shenzhen and the other jurisdictions.
USERS = [
    "enterprise1",
    "enterprise2",
    "district1",
    "city",
    "expert",
    "supervisor",
    "guangdong",
    "pingshan",
    "beijing-expert",
    "sd-enterprise",
]
LINK = re.compile(r'href="(/[^"]*)"')
# Leaving, switching language, the Django admin and files (PDFs, workbooks, uploads) are not
# pages to read; the download links are checked by the access matrix.
SKIP = re.compile(
    r"^/(static/|django-admin/|accounts/logout|i18n/|media/)"
    r"|/(export|download|pdf|template|error-report|receipt)(/|\.|$)|\.(pdf|xlsx|csv|zip)$"
)
# Bounds that keep the walk under two minutes; a wider walk (400 pages, depth 8) found the same.
PAGES_PER_USER = 80
DEPTH = 4
RULE_ID = re.compile(r"\bR-[A-Z]{1,2}\d+[a-z]?\b")


class _VisibleText(HTMLParser):
    """The text a user reads: no tags, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def crawl(client: Client, start: str) -> tuple[dict[str, tuple[int, str]], list[str]]:
    """Each page reached from `start` → (status, the page that linked it); and the rule ids
    found in the visible text of the pages."""
    seen: dict[str, tuple[int, str]] = {}
    cited: list[str] = []
    queue = deque([(start, 0, "")])
    while queue and len(seen) < PAGES_PER_USER:
        link, depth, origin = queue.popleft()
        url = urldefrag(link).url.replace("&amp;", "&")
        if url in seen or SKIP.search(url):
            continue
        response = client.get(url)
        seen[url] = (response.status_code, origin)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        html = response.content.decode()
        cited += [f"{url}: {m}" for m in sorted(set(RULE_ID.findall(visible_text(html))))]
        if depth < DEPTH:
            for found in LINK.findall(html):
                # One page of a list stands for all its pages.
                if "page=" not in found:
                    queue.append((found, depth + 1, url))
    return seen, cited


@pytest.fixture
def demo(db, settings, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_no_demo_role_meets_a_closed_page_or_a_rule_id(demo):
    refused, cited = [], []
    for username in [None, *USERS]:
        client = Client()
        if username:
            assert client.login(username=username, password=DEFAULT_PASSWORD), username
        seen, found = crawl(client, reverse("dashboard") if username else reverse("home"))
        refused += [
            f"{username} {url} ← {origin}: {code}"
            for url, (code, origin) in seen.items()
            if code in (403, 404)
        ]
        cited += [f"{username} {line}" for line in found]
    assert refused == []
    assert cited == []
