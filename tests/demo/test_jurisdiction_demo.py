"""The demo's four jurisdictions as their users walk them: every page a jurisdiction's staff or
enterprise reaches answers without a server error, and no staff page names an enterprise of
another jurisdiction (public pages aside: the directory lists everyone on purpose)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from demo.management.commands.seed_demo import DEFAULT_PASSWORD
from filings.models import Enterprise
from portal.core.roles import area_q, membership_of
from tests.demo.test_demo_crawl import crawl

User = get_user_model()
STAFF = ["guangdong", "pingshan", "foshan", "beijing", "beijing2", "shandong", "taian"]
OPERATORS = [
    "ps-enterprise",
    "fs-enterprise",
    "fs-training",
    "bj-enterprise",
    "sd-enterprise",
    "ta-enterprise",
]


@pytest.fixture
def demo(db, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def _names_outside(user) -> list[str]:
    membership = membership_of(user)
    if membership.enterprise_id:
        inside = Enterprise.objects.filter(pk=membership.enterprise_id)
    else:
        inside = Enterprise.objects.filter(area_q(membership.bureau, "district"))
    return list(
        Enterprise.objects.exclude(pk__in=inside.values("pk")).values_list("name", flat=True)
    )


def test_each_jurisdictions_users_walk_the_demo_without_errors_or_other_jurisdictions(demo):
    public = set(crawl(Client(), reverse("home")))
    failures, leaks = [], []
    for username in STAFF + OPERATORS:
        client = Client()
        assert client.login(username=username, password=DEFAULT_PASSWORD), username
        others = _names_outside(User.objects.get(username=username))

        def check(url: str, html: str, username=username, others=others) -> None:
            if url not in public and not url.startswith("/public/"):
                leaks.extend(f"{username} {url}: {name}" for name in others if name in html)

        seen = crawl(client, reverse("dashboard"), on_page=check)
        assert len(seen) > 10, (username, seen)
        failures += [f"{username} {url}: {code}" for url, code in seen.items() if code >= 500]
    assert not failures
    assert not leaks


def test_seed002_s6_2_the_beijing_experts_demo_opinion_shows_the_six_items_scored(demo):
    from filings.models import ExpertAssignment

    row = ExpertAssignment.objects.get(expert__username="beijing-expert")
    client = Client()
    assert client.login(username="beijing-expert", password=DEFAULT_PASSWORD)
    page = client.get(reverse("filing_detail", args=[row.filing_id])).content.decode()
    for name in ("企业基本情况", "人力资源管理制度", "经费保障措施", "信息化建设"):
        assert name in page
    assert "认定工作机构及质量保障体系" in page and "合格分 60" in page
    assert row.score == 91 == row.checklist["total"]
