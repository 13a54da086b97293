"""A filing carries its enterprise's district (copied for the reviewers' lists): the district's
list shows exactly its enterprises' filings, also after the enterprise moves."""

from django.urls import reverse

from filings.filings.selectors import filing_list_for_user
from filings.models import Filing, FilingStatus
from tests.support.factories import FilingFactory


def _submitted(enterprise) -> Filing:
    return FilingFactory(enterprise=enterprise, status=FilingStatus.DISTRICT_REVIEW)


def test_a_new_filing_takes_its_enterprises_district(ent_a, ent_b):
    assert _submitted(ent_a).district_id == ent_a.district_id
    assert _submitted(ent_b).district_id == ent_b.district_id != ent_a.district_id


def test_r_f5_an_enterprise_moved_to_another_district_takes_its_filings_along(
    client, world, ent_a, dora
):
    filing = _submitted(ent_a)
    client.force_login(dora)
    url = reverse("filing_list")
    assert reverse("filing_detail", args=[filing.pk]) in client.get(url).content.decode()
    ent_a.district = world["futian"]
    ent_a.save()
    filing.refresh_from_db()
    assert filing.district == world["futian"]
    assert reverse("filing_detail", args=[filing.pk]) not in client.get(url).content.decode()
    assert not filing_list_for_user(user=dora).filter(pk=filing.pk).exists()


def test_the_list_row_escapes_what_the_enterprise_typed(client, ent_a, dora):
    ent_a.name = '<script>alert("x")</script>&Co'
    ent_a.save()
    filing = _submitted(ent_a)
    client.force_login(dora)
    page = client.get(reverse("filing_list")).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;Co" in page
    assert f'<a href="{reverse("filing_detail", args=[filing.pk])}">' in page
