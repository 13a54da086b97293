"""The demo's 车工 scheme carries the application conditions of the national standard (seed 004
§三(一)(二)); `seed_demo` names the draft plan that waits for its roster, and the sample rosters
it writes import as they should: the clean one clean, the other with its mistakes."""

import datetime as dt
import io
import re
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from assessments.models import ImplementationPlan

SEED_DAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with mock.patch("django.utils.timezone.localdate", return_value=SEED_DAY):
        yield


def test_seed004_s3_1_the_demo_draft_plan_s_scheme_carries_the_lathe_conditions(db, tmp_path):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    found = re.search(r"^demo draft plan: (\d+)$", out.getvalue(), re.MULTILINE)
    assert found
    plan = ImplementationPlan.objects.get(pk=int(found.group(1)))
    assert (plan.title, plan.status, plan.roster.count()) == (
        "2027年第一期数控车工认定",
        "draft",
        0,
    )
    routes = {(r.level, r.exceptional): r for r in plan.scheme.application_routes.all()}
    assert set(routes) == {(5, False), (4, False), (3, False), (4, True), (3, True)}
    assert plan.scheme.application_routes.filter(level=4, exceptional=False).count() == 2

    clean, mistakes = (
        tmp_path / "demo" / "roster-clean.xlsx",
        tmp_path / "demo" / "roster-with-mistakes.xlsx",
    )
    out = io.StringIO()
    call_command("import_roster", "--plan", str(plan.pk), str(clean), "--dry-run", stdout=out)
    assert (
        out.getvalue() == "summary: 12 rows, 12 good, 0 with problems; nothing imported (dry run)\n"
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match="12 rows, 8 good, 4 with problems"):
        call_command(
            "import_roster", "--plan", str(plan.pk), str(mistakes), "--dry-run", stdout=out
        )
    assert (
        "row 9: 申报条件: 申报四级须从事本职业满6年，或取得五级证书满4年；本行从事本职业3年，"
        "未取得证书。"
    ) in out.getvalue().splitlines()
    # The acknowledged plans show the exceptional row of their rosters apart.
    assert ImplementationPlan.objects.filter(roster__exceptional=True).exists()
