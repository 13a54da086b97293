"""Application conditions per level in the scheme (申报条件, 破格条件; seed 004 §三(一)(二), seed
001 §七(一)): the enterprise enters a level's alternative routes and exceptional routes on the
scheme's pages, with precise messages; reviewers read them on the scheme page."""

import pytest
from django.urls import reverse

from assessments.models import ApplicationRoute, EvaluationScheme
from assessments.schemes import services
from portal.core.errors import ServiceError
from tests.assessments.schemes.factories import complete_scheme


@pytest.fixture
def draft(ent_a, line):
    return complete_scheme(ent_a, scope_line=line)


def route_form(scheme, **overrides) -> dict:
    data = {
        "version": str(scheme.version),
        "level": "4",
        "ground": "",
        "description": "",
        "min_years_in_occupation": "",
        "min_years_employed": "",
        "prior_certificate_level": "",
        "min_years_since_certificate": "",
        "min_training_hours": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_seed004_s3_1_the_enterprise_enters_a_level_s_alternative_routes(client, alice, draft):
    client.force_login(alice)
    url = reverse("scheme_route_add", args=[draft.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, route_form(draft, min_years_in_occupation="6"), follow=True)
    assert "申报条件已保存。" in response.text
    draft.refresh_from_db()
    response = client.post(
        url,
        route_form(
            draft,
            prior_certificate_level="5",
            min_years_since_certificate="4",
            description="取得本职业五级证书后，累计从事本职业工作4年以上",
        ),
        follow=True,
    )
    page = response.text
    assert "各等级申报条件" in page
    assert "<td>从事本职业满6年</td>" in page
    assert (
        "<td>取得五级证书满4年</td><td>取得本职业五级证书后，累计从事本职业工作4年以上</td>" in page
    )
    # Levels offered without routes say that nothing is checked for them.
    assert "未设定结构化申报条件：导入名册时不核验该等级。" in page
    assert list(draft.application_routes.values_list("level", flat=True)) == [4, 4]


def test_seed004_s3_1_a_route_without_any_minimum_is_refused_and_the_input_kept(
    client, alice, draft
):
    client.force_login(alice)
    response = client.post(
        reverse("scheme_route_add", args=[draft.pk]), route_form(draft, description="在岗职工")
    )
    assert "请至少设定一项条件：从事本职业年限、入职年限、已获证书或培训学时。" in response.text
    assert 'value="在岗职工"' in response.text
    assert not draft.application_routes.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"min_years_in_occupation": "六年"}, "请输入 0 至 50 的年数，如 6 或 1.5。"),
        ({"min_years_in_occupation": "1.25"}, "最多保留一位小数，如 1.5。"),
        ({"min_training_hours": "0"}, "请输入 1 至 5000 的整数学时，如 400。"),
        ({"level": "2", "min_years_in_occupation": "6"}, "请选择本方案评价的等级之一。"),
        (
            {"level": "4", "prior_certificate_level": "4"},
            "已获证书的等级须低于四级（如申报四级须已获五级证书）。",
        ),
        (
            {"level": "4", "min_years_since_certificate": "4"},
            "填写了取得证书后的年限，须同时选择该证书的等级。",
        ),
    ],
)
def test_seed004_s3_1_a_wrong_minimum_is_named_in_chinese(client, alice, draft, fields, message):
    client.force_login(alice)
    response = client.post(
        reverse("scheme_route_add", args=[draft.pk]), route_form(draft, **fields)
    )
    assert message in response.text
    assert not draft.application_routes.exists()


def test_seed004_s3_2_an_exceptional_route_names_its_ground_and_who_qualifies(client, alice, draft):
    client.force_login(alice)
    url = reverse("scheme_route_add", args=[draft.pk])
    response = client.post(url, route_form(draft, exceptional="on"))
    assert "请选择破格申报的类别。" in response.text
    assert "请写明可破格申报的人员，如市级职业技能竞赛前三名。" in response.text
    response = client.post(
        url,
        route_form(
            draft, exceptional="on", ground="competition", description="市级以上职业技能竞赛前三名"
        ),
        follow=True,
    )
    assert "申报条件已保存。" in response.text
    assert "破格 · 职业技能竞赛获奖" in response.text
    assert "仅须写明破格理由和依据" in response.text


def test_seed004_s3_1_reviewers_read_the_conditions_on_the_scheme_page(client, alice, carl, draft):
    ApplicationRoute.objects.create(scheme=draft, level=5, min_years_in_occupation=1)
    ApplicationRoute.objects.create(scheme=draft, level=5, min_training_hours=400)
    services.scheme_submit(scheme=draft, actor=alice)
    client.force_login(carl)
    page = client.get(reverse("scheme_detail", args=[draft.pk])).text
    assert "<td>从事本职业满1年</td>" in page and "<td>评价前培训满400学时</td>" in page
    assert reverse("scheme_route_add", args=[draft.pk]) not in page
    assert client.get(reverse("scheme_route_add", args=[draft.pk])).status_code == 404


def test_seed004_s3_1_a_route_is_edited_and_removed(client, alice, draft):
    route = ApplicationRoute.objects.create(scheme=draft, level=4, min_years_in_occupation=6)
    client.force_login(alice)
    response = client.post(
        reverse("scheme_route_edit", args=[draft.pk, route.pk]),
        route_form(draft, min_years_in_occupation="5"),
        follow=True,
    )
    assert "<td>从事本职业满5年</td>" in response.text
    response = client.post(reverse("scheme_route_delete", args=[draft.pk, route.pk]), follow=True)
    assert "申报条件已删除。" in response.text
    assert not draft.application_routes.exists()


def test_seed004_s3_1_conditions_of_a_level_the_scheme_no_longer_offers_block_submission(
    alice, draft
):
    ApplicationRoute.objects.create(scheme=draft, level=3, min_years_in_occupation=5)
    EvaluationScheme.objects.filter(pk=draft.pk).update(levels=[5, 4])
    with pytest.raises(ServiceError) as refused:
        services.scheme_submit(scheme=EvaluationScheme.objects.get(pk=draft.pk), actor=alice)
    assert any(
        "已为三级/高级工设定申报条件，但本方案不评价该等级" in str(p)
        for p in refused.value.problems
    )


def test_seed004_s3_1_a_revision_starts_with_the_conditions_in_force(alice, ent_a, line):
    approved = complete_scheme(ent_a, scope_line=line, status="approved")
    ApplicationRoute.objects.create(
        scheme=approved, level=4, prior_certificate_level=5, min_years_since_certificate=4
    )
    revision = services.scheme_start_revision(scheme=approved, actor=alice)
    copied = revision.application_routes.get()
    assert (copied.level, copied.prior_certificate_level) == (4, 5)
    assert approved.application_routes.count() == 1
