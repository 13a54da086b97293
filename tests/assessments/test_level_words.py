"""Issue 16: levels are written in words on every page (五级、四级; 五级至三级), as the roster and
the certificate write them, never as the digits 5、4."""

from django.urls import reverse

from tests.assessments.factories import PlanFactory


def test_plan_and_scheme_pages_write_levels_in_words(client, alice, ent_a):
    plan = PlanFactory(enterprise=ent_a)  # levels 5 and 4 of a scheme filed for 5 to 3
    client.force_login(alice)
    detail = client.get(reverse("plan_detail", args=[plan.pk])).content.decode()
    listing = client.get(reverse("plan_list")).content.decode()
    scheme = client.get(reverse("scheme_detail", args=[plan.scheme.pk])).content.decode()
    schemes = client.get(reverse("scheme_list")).content.decode()
    for page in (detail, listing):
        assert "五级、四级" in page and "5、4" not in page
    assert "五级至三级" in scheme and "5、4、3" not in scheme
    assert "五级至三级" in schemes
