"""The navigation comes from one table (desk/navigation.py): a few groups that open without
JavaScript, the current page marked, public links apart from work links."""

import re

from django.urls import reverse

PUBLIC_URLS = ["directory", "certificate_verify", "public_draw_list", "public_sanction_list"]


def _nav(html: str) -> str:
    return re.search(r'<nav class="main-nav".*?</nav>', html, re.S).group(0)


def test_the_current_page_is_marked_and_its_group_too(client, dora):
    client.force_login(dora)
    nav = _nav(client.get(reverse("enterprise_list")).content.decode())
    assert f'<a href="{reverse("enterprise_list")}" aria-current="page">' in nav
    assert nav.count('aria-current="page"') == 1
    # The group holding the page (备案审核) is marked as the current one.
    assert re.search(r'<summary class="current" aria-current="true">备案审核</summary>', nav)


def test_a_detail_page_marks_the_list_it_belongs_to(client, alice):
    client.force_login(alice)
    nav = _nav(client.get(reverse("annual_report_mine")).content.decode())
    assert f'<a href="{reverse("annual_report_mine")}" aria-current="page">' in nav


def test_groups_are_menus_that_need_no_script(client, carl):
    client.force_login(carl)
    nav = _nav(client.get(reverse("dashboard")).content.decode())
    summaries = re.findall(r"<summary[^>]*>(.*?)</summary>", nav)
    assert summaries == ["备案审核", "评价认定", "证书", "监督管理", "设置", "公开查询"]
    assert "<script" not in nav and "onclick" not in nav


def test_a_visitor_sees_only_public_links(client, db):
    nav = _nav(client.get(reverse("home")).content.decode())
    for name in PUBLIC_URLS:
        assert f'href="{reverse(name)}"' in nav
    assert "<details" not in nav
    assert reverse("filing_list") not in nav and reverse("dashboard") not in nav


def test_public_links_stand_apart_from_work_links(client, alice):
    client.force_login(alice)
    nav = _nav(client.get(reverse("dashboard")).content.decode())
    public = re.search(r'<details class="nav-group public">.*?</details>', nav, re.S).group(0)
    for name in PUBLIC_URLS:
        assert f'href="{reverse(name)}"' in public
    assert reverse("filing_list") not in public


def test_a_supervisor_sees_its_inspections_and_no_filing_work(client, sam):
    client.force_login(sam)
    nav = _nav(client.get(reverse("dashboard")).content.decode())
    assert "我的督导检查" in nav
    assert reverse("filing_list") not in nav and reverse("scheme_list") not in nav


def test_city_settings_only_for_the_city_administrator(client, carl, world):
    from tests.support.factories import make_member

    cora = make_member("cora", "city", bureau=world["city"])
    client.force_login(carl)
    assert reverse("city_settings") in _nav(client.get(reverse("dashboard")).content.decode())
    client.force_login(cora)
    assert reverse("city_settings") not in _nav(client.get(reverse("dashboard")).content.decode())
