"""R-S4: pages write a skill level as the roster file and the certificate do (四级/中级工),
not as its digit: the plan's roster preview, the roster and the results (publicity) page."""

import pytest
from django.urls import reverse

from tests.supervision.stats.helpers import plan_with_results


@pytest.mark.parametrize("view", ["plan_detail", "roster_detail", "result_batch"])
def test_r_s4_a_level_is_shown_in_words(client, alice, ent_a, view):
    plan, _entries = plan_with_results(ent_a, [(4, "passed"), (2, "failed")])
    client.force_login(alice)
    html = client.get(reverse(view, args=[plan.pk])).content.decode()
    assert ">四级/中级工</td>" in html
    assert ">二级/技师</td>" in html
