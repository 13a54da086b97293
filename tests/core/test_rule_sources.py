"""The 依据 link: a reviewer opens the source of a rule the portal applied and reads its plain
title, the notice (name, issuer, number) and the quoted passage; an enterprise finds no such page,
and the texts it reads never cite a rule id."""

import re

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from portal.core.rule_sources import NOTICES, RULE_SOURCES

RULE_ID = re.compile(r"R-[A-Z]+\d")


def test_a_city_reviewer_reads_the_source_of_the_20_working_day_review(client, carl):
    client.force_login(carl)
    page = client.get("/rules/R-F6/").text
    assert "20个工作日内完成审核和专家现场评估" in page
    assert "关于我市开展企业职业技能等级认定工作的通知（征求意见稿）" in page
    assert "市技能鉴定办自收到申请表当日起20个工作日内完成申请材料审核、专家现场评估。" in page
    assert "六（一）2" in page


def test_every_reviewer_role_reads_a_source(client, dora, erin, sam, gina):
    for person in (dora, erin, sam, gina):
        client.force_login(person)
        page = client.get("/rules/R-M2/")
        assert page.status_code == 200, person
        assert "五年内不再接受该企业的备案申请" in page.text
        assert "京人社职鉴发" not in page.text  # only the notices the rule rests on


def test_an_enterprise_operator_finds_no_rule_page(client, alice):
    client.force_login(alice)
    assert client.get("/rules/R-F6/").status_code == 404


def test_an_unknown_rule_is_not_found(client, carl):
    client.force_login(carl)
    assert client.get("/rules/R-X9/").status_code == 404


def test_the_public_is_sent_to_the_login(client):
    response = client.get("/rules/R-F6/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_every_rule_of_the_domain_has_a_source_with_a_passage_or_a_note():
    expected = {f"R-F{n}" for n in range(1, 10)} | {f"R-S{n}" for n in range(1, 6)}
    expected |= {f"R-P{n}" for n in range(1, 6)} | {"R-P5a", "R-C1", "R-C2", "R-C3"}
    expected |= {"R-R1", "R-R2"} | {f"R-K{n}" for n in range(1, 6)}
    expected |= {f"R-M{n}" for n in range(1, 8)}
    assert set(RULE_SOURCES) == expected
    for source in RULE_SOURCES.values():
        assert source.passages or source.note, source.rule
        assert not RULE_ID.search(str(source.title)), source.rule
        assert all(passage.notice in NOTICES for passage in source.passages)


def _render(user, rule):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load rule_basis %}<li>问题{% basis rule %}</li>")
    return template.render(Context({"request": request, "rule": rule}))


def test_the_basis_link_is_shown_to_a_reviewer_only(carl, alice):
    with translation.override("en"):
        assert 'href="/rules/R-P4/"' in _render(carl, "R-P4")
        assert ">Basis</a>" in _render(carl, "R-P4")
        assert _render(alice, "R-P4") == "<li>问题</li>"
        assert _render(carl, "") == "<li>问题</li>"


def test_a_reviewer_reads_the_basis_of_the_review_clock_and_the_operator_does_not(
    client, ent_a, alice, dora, carl
):
    from filings.filings import services as filing_services
    from filings.review import services as review_services
    from tests.support.factories import complete_filing

    filing = complete_filing(ent_a, uploaded_by=alice)
    filing_services.filing_submit(filing=filing, actor=alice)
    review_services.filing_district_forward(filing=filing, actor=dora, opinion="同意上报")
    client.force_login(carl)
    assert 'href="/rules/R-F6/"' in client.get(f"/filings/{filing.pk}/").text
    client.force_login(alice)
    page = client.get(f"/filings/{filing.pk}/").text
    assert "/rules/" not in page and not RULE_ID.search(page)
