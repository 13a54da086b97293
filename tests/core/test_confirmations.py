"""Issue 16: a removal asks first. The page it links to says what will go and that it cannot be
undone, works without script, and nothing is removed until it is posted."""

from django.urls import reverse

from assessments.models import AssessmentSession
from filings.models import FilingMaterial, FilingScopeLine
from tests.assessments.factories import PlanFactory
from tests.support.factories import complete_filing


def _asks_first(client, url: str, detail_url: str, what: str, question: str) -> None:
    detail = client.get(detail_url).content.decode()
    assert f'href="{url}"' in detail  # a link to the question, not a one-click form
    assert f'action="{url}"' not in detail
    page = client.get(url).content.decode()
    assert question in page and what in page and "此操作无法撤销" in page
    assert 'method="post"' in page and "<script>" not in page


def test_removing_a_filing_material_asks_first_and_keeps_it_until_confirmed(client, alice, ent_a):
    filing = complete_filing(ent_a, uploaded_by=alice)
    material = filing.materials.first()
    url = reverse("material_delete", args=[filing.pk, material.pk])
    client.force_login(alice)
    _asks_first(
        client,
        url,
        reverse("filing_detail", args=[filing.pk]),
        material.original_name,
        "从备案申请中移除此材料？",
    )
    assert FilingMaterial.objects.filter(pk=material.pk).exists()
    response = client.post(url, follow=True)
    assert "材料已删除" in response.content.decode()
    assert not FilingMaterial.objects.filter(pk=material.pk).exists()


def test_removing_a_scope_line_names_the_occupation_and_its_levels_in_words(client, alice, ent_a):
    filing = complete_filing(ent_a, uploaded_by=alice)
    line = filing.scope_lines.get()
    url = reverse("scope_line_delete", args=[filing.pk, line.pk])
    client.force_login(alice)
    page = client.get(url).content.decode()
    assert line.occupation.name in page and "五级" in page
    assert FilingScopeLine.objects.filter(pk=line.pk).exists()


def test_removing_a_session_says_its_invigilators_go_with_it(client, alice, ent_a):
    plan = PlanFactory(enterprise=ent_a)
    session = plan.sessions.first() or AssessmentSession.objects.create(
        plan=plan,
        date="2027-03-01",
        starts_at="09:00",
        ends_at="11:00",
        site="实训中心",
        component="theory",
    )
    url = reverse("session_delete", args=[plan.pk, session.pk])
    client.force_login(alice)
    _asks_first(
        client,
        url,
        reverse("plan_detail", args=[plan.pk]),
        "2027-03-01 09:00–11:00 实训中心",
        "从实施计划中移除此考核场次？",
    )
    assert "监考人员将一并移除" in client.get(url).content.decode()
    assert AssessmentSession.objects.filter(pk=session.pk).exists()
