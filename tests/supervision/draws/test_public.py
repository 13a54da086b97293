"""The public side of the draws (R-M1 一公开): only published draws, results only once closed,
inputs anyone can re-run to get the published list."""

import datetime as dt
import json
import subprocess
import sys

import pytest
from django.utils import timezone

from supervision.draws.algorithm import draw_create, draw_run
from supervision.draws.public_views import REPLAY_SCRIPT
from supervision.draws.services import draw_publish
from tests.supervision.draws.matrix_draw import filed_enterprise
from tests.supervision.factories import supervisor_profile
from tests.support.factories import make_member


@pytest.fixture
def draw(world):
    carl = make_member("carl", "city", bureau=world["city"], is_admin=True)
    for i in range(4):
        filed_enterprise(world["nanshan" if i % 2 else "futian"], name=f"公开企业{i}")
    for name in ("何涛", "林静", "王磊"):
        user = make_member(f"u{name}", "supervisor", bureau=world["city"])
        user.membership.full_name = name
        user.membership.save(update_fields=["full_name"])
        supervisor_profile(user, city=world["city"])
    return draw_create(
        city=world["city"],
        actor=carl,
        title="2026年第1批双随机抽查",
        kind="enterprises",
        target_count=2,
        supervisors_per_target=2,
        today=timezone.localdate(),
    )


def _publish(draw):
    return draw_publish(draw=draw, actor=draw.drawn_by, today=timezone.localdate())


def test_r_m1_unpublished_draws_are_not_public(client, draw):
    assert draw.title not in client.get("/public/inspections/").content.decode()
    assert client.get(f"/public/inspections/{draw.pk}/").status_code == 404
    assert client.get(f"/public/inspections/{draw.pk}/inputs.json").status_code == 404


def test_r_m1_a_published_draw_lists_its_targets_with_masked_supervisors(client, draw):
    _publish(draw)
    listing = client.get("/public/inspections/").content.decode()
    assert draw.title in listing and "深圳市" in listing
    body = client.get(f"/public/inspections/{draw.pk}/").content.decode()
    for inspection in draw.inspections.all():
        assert inspection.enterprise.name in body
    assert draw.seed in body
    assert "检查中" in body
    for name in ("何涛", "林静", "王磊"):
        assert name not in body
    assert "何*" in body or "林*" in body or "王*" in body


def test_r_m1_a_result_is_public_only_once_the_inspection_is_closed(client, draw):
    _publish(draw)
    first, second = draw.inspections.order_by("position")
    first.status = "closed"
    first.conclusion = "rectify"
    first.public_result = "考核现场监控录像缺失，已责令整改。"
    first.closed_on = dt.date(2026, 11, 20)
    first.save()
    second.status = "reported"
    second.public_result = "尚未审核的内容"
    second.save()
    body = client.get(f"/public/inspections/{draw.pk}/").content.decode()
    assert "考核现场监控录像缺失，已责令整改。" in body and "2026-11-20" in body
    assert "尚未审核的内容" not in body
    assert body.count("检查中") == 1


def test_r_m1_anyone_can_rerun_the_published_inputs_and_get_the_published_list(
    client, draw, tmp_path
):
    _publish(draw)
    response = client.get(f"/public/inspections/{draw.pk}/inputs.json")
    assert "attachment" in response["Content-Disposition"]
    inputs = json.loads(response.content)
    published = [
        [i.enterprise_id, sorted(i.assignments.values_list("supervisor_id", flat=True))]
        for i in draw.inspections.order_by("position")
    ]
    assert inputs["result"] == published
    arguments = (
        "seed",
        "candidates",
        "pool",
        "conflicts",
        "target_count",
        "supervisors_per_target",
    )
    rerun = draw_run(**{name: inputs[name] for name in arguments})
    assert [[t, s] for t, s in rerun.picks] == published
    # The script printed on the page does the same with nothing but Python.
    path = tmp_path / "inputs.json"
    path.write_bytes(response.content)
    script = tmp_path / "replay.py"
    script.write_text(REPLAY_SCRIPT, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(script), str(path)], capture_output=True, check=True, text=True
    )
    assert json.loads(out.stdout) == {"result": published, "skipped": inputs["skipped"]}
    # No personal data in the inputs: supervisors are account numbers.
    assert "何涛" not in response.content.decode()
