"""A district draws its own random inspections where the city delegates them (seed 000 §五:
坪山区人力资源局将按照"两随机一公开"原则，随机抽取质量督导员…每年对每个备案企业抽查不少于一次).

The district draws among its own filed enterprises, with supervisors from the city's pool, and
publishes the result as the city does; the city's own draws still cover every district, and the
yearly coverage counts the district's draws and the city's alike. A district whose city does not
delegate draws gets a 404 on the draw pages."""

import pytest
from django.utils import timezone

from portal.core.policy import effective_policy, policy_row
from portal.core.presets import apply_preset
from supervision.draws.algorithm import draw_create, enterprise_candidates
from supervision.models import Draw
from tests.supervision.draws.matrix_draw import filed_enterprise
from tests.supervision.factories import supervisors_in_pool
from tests.support.factories import BureauFactory, make_member

NEW = "/supervision/draws/new/"
LIST = "/supervision/draws/"


@pytest.fixture
def pingshan(world):
    return BureauFactory(
        code="440310",
        name="坪山区人力资源局",
        area="坪山区",
        level="district",
        parent=world["city"],
    )


@pytest.fixture
def ps_reviewer(pingshan):
    return make_member("pingshan", "district", bureau=pingshan)


@pytest.fixture
def ps_client(client, ps_reviewer):
    client.force_login(ps_reviewer)
    return client


@pytest.fixture
def filed(world, pingshan):
    return {
        "ps": [filed_enterprise(pingshan, name=f"坪山企业{i}") for i in range(3)],
        "ns": [filed_enterprise(world["nanshan"], name=f"南山企业{i}") for i in range(2)],
    }


def _post_draw(client, **fields):
    data = {"title": "坪山区第一批", "kind": "enterprises", "target_count": 10,
            "supervisors_per_target": 2}  # fmt: skip
    data.update(fields)
    return client.post(NEW, data)


def test_shenzhen_delegates_draws_to_its_districts_seed_000_s5(world, pingshan):
    assert "random_draws" in effective_policy(pingshan).powers
    assert "random_draws" not in effective_policy(world["shunde"]).powers


def test_pingshan_draws_among_its_own_enterprises_from_the_city_pool_seed_000_s5(
    world, filed, ps_client
):
    pool = supervisors_in_pool(world["city"], 2)
    form = ps_client.get(NEW).content.decode()
    assert f"坪山区{timezone.localdate().year}年第1批双随机抽查" in form
    assert "督导员从深圳市的督导员名录中抽取" in form
    response = _post_draw(ps_client)
    draw = Draw.objects.get()
    assert response["Location"] == f"/supervision/draws/{draw.pk}/"
    assert (draw.city, draw.district.area_name) == (world["city"], "坪山区")
    drawn = {i.enterprise for i in draw.inspections.all()}
    assert drawn == set(filed["ps"])  # every one of Pingshan's, none of Nanshan's
    assert set(draw.pool) == {u.pk for u in pool}
    body = ps_client.get(response["Location"]).content.decode()
    assert "坪山区" in body and "南山企业" not in body


def test_a_district_with_no_filed_enterprise_is_told_so_in_chinese_seed_000_s5(
    world, pingshan, ps_client
):
    filed_enterprise(world["nanshan"])
    supervisors_in_pool(world["city"], 2)
    body = _post_draw(ps_client).content.decode()
    assert "本区没有已备案的企业" in body
    assert not Draw.objects.exists()


def test_pingshan_publishes_its_draw_like_the_city_seed_000_s5(world, filed, ps_client, client):
    supervisors_in_pool(world["city"], 2)
    _post_draw(ps_client, target_count=1)
    draw = Draw.objects.get()
    assert "公布本批抽查" in ps_client.get(f"/supervision/draws/{draw.pk}/").content.decode()
    published = ps_client.post(f"/supervision/draws/{draw.pk}/publish/", follow=True)
    assert "已在公开页面公布" in published.content.decode()
    draw.refresh_from_db()
    assert draw.published_on == timezone.localdate()
    client.logout()
    listing = client.get("/public/inspections/").content.decode()
    assert "坪山区第一批" in listing and "深圳市 · 坪山区" in listing
    assert client.get(f"/public/inspections/{draw.pk}/inputs.json").json()["district"] == "坪山区"


def test_each_district_sees_its_own_draws_and_the_city_sees_all_seed_000_s5(
    world, filed, ps_client, client
):
    supervisors_in_pool(world["city"], 2)
    _post_draw(ps_client, title="坪山区第一批")
    district_draw = Draw.objects.get()
    carl = make_member("carl", "city", bureau=world["city"])
    city_draw = draw_create(
        city=world["city"], actor=carl, title="市第一批", kind="enterprises", target_count=1,
        supervisors_per_target=2, today=timezone.localdate(),
    )  # fmt: skip
    mine = ps_client.get(LIST).content.decode()
    assert "坪山区第一批" in mine and "市第一批" not in mine
    assert ps_client.get(f"/supervision/draws/{city_draw.pk}/").status_code == 404
    client.force_login(make_member("dora", "district", bureau=world["nanshan"]))
    assert "坪山区第一批" not in client.get(LIST).content.decode()
    assert client.get(f"/supervision/draws/{district_draw.pk}/").status_code == 404
    assert client.post(f"/supervision/draws/{district_draw.pk}/publish/").status_code == 404
    client.force_login(carl)
    everything = client.get(LIST).content.decode()
    assert "坪山区第一批" in everything and "市第一批" in everything
    detail = client.get(f"/supervision/draws/{district_draw.pk}/").content.decode()
    assert "坪山区第一批" in detail and "公布本批抽查" not in detail
    # Only the district that drew publishes its draw.
    assert client.post(f"/supervision/draws/{district_draw.pk}/publish/").status_code == 404


def test_the_city_draw_excludes_no_district_and_coverage_counts_both_seed_000_s5(
    world, filed, ps_client
):
    """每年对每个备案企业抽查不少于一次: an enterprise drawn by Pingshan counts as inspected for
    the city's coverage and weighs as inspected in the city's next draw; Pingshan's enterprises
    remain candidates of the city's draws."""
    supervisors_in_pool(world["city"], 4)
    _post_draw(ps_client)  # all three of Pingshan's
    today = timezone.localdate()
    weights = dict(enterprise_candidates(city=world["city"], today=today))
    assert {e.pk for e in filed["ps"] + filed["ns"]} == set(weights)
    assert all(weights[e.pk] == 1 for e in filed["ps"])
    carl = make_member("carl", "city", bureau=world["city"])
    draw_create(
        city=world["city"], actor=carl, title="市第一批", kind="enterprises", target_count=5,
        supervisors_per_target=2, today=today,
    )  # fmt: skip
    ps_coverage = ps_client.get("/supervision/coverage/").content.decode()
    assert "坪山区第一批" in ps_coverage and "市第一批" in ps_coverage
    assert "<b>0</b>家尚未抽查（共3家已备案企业）" in ps_coverage
    ps_client.force_login(carl)
    city_coverage = ps_client.get("/supervision/coverage/").content.decode()
    assert "<b>0</b>家尚未抽查（共5家已备案企业）" in city_coverage


def test_the_district_desk_shows_its_coverage_and_its_draws_seed_000_s5(world, filed, ps_client):
    body = ps_client.get("/dashboard/").content.decode()
    assert "3家已备案企业中，今年尚有3家未被抽查" in body
    assert 'href="/supervision/draws/"' in body  # also in the navigation


def test_a_district_without_the_power_gets_404_on_draw_pages(world, client):
    hugo = make_member("hugo", "district", bureau=world["shunde"])
    foshan_draw = draw_of(world["other_city"], filed_enterprise(world["shunde"]))
    client.force_login(hugo)
    assert client.get(LIST).status_code == 404
    assert client.get(NEW).status_code == 404
    assert client.post(NEW, {"title": "x"}).status_code == 404
    assert client.get(f"/supervision/draws/{foshan_draw.pk}/").status_code == 404
    assert client.post(f"/supervision/draws/{foshan_draw.pk}/publish/").status_code == 404
    assert 'href="/supervision/draws/"' not in client.get("/dashboard/").content.decode()


def test_a_city_that_withdraws_the_delegation_closes_the_district_pages(world, ps_client):
    assert ps_client.get(LIST).status_code == 200
    row = policy_row(world["city"])
    row.delegated = ["application_windows"]
    row.save()
    assert ps_client.get(LIST).status_code == 404
    apply_preset(world["city"], "shenzhen")
    assert ps_client.get(LIST).status_code == 200


def draw_of(city, enterprise):
    supervisors_in_pool(city, 2, prefix="f")
    actor = make_member("otto", "city", bureau=city)
    return draw_create(
        city=city, actor=actor, title="佛山第一批", kind="enterprises", target_count=1,
        supervisors_per_target=2, today=timezone.localdate(),
    )  # fmt: skip
