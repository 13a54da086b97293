"""The city's draw pages (R-M1, R-C2): the supervisor pool, making and publishing a draw, the
coverage of the year with its Excel export, the desk."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from supervision.draws.algorithm import draw_create
from supervision.models import Draw, InspectionAssignment, SupervisorProfile
from tests.supervision.draws.matrix_draw import filed_enterprise
from tests.supervision.factories import supervisor_profile, supervisors_in_pool
from tests.support.factories import make_member


@pytest.fixture
def carl(world):
    return make_member("carl", "city", bureau=world["city"], is_admin=True)


@pytest.fixture
def city_client(client, carl):
    client.force_login(carl)
    return client


def _draw(world, carl, **fields):
    values = {"title": "测试抽查", "kind": "enterprises", "target_count": 2}
    values.update(fields)
    return draw_create(
        city=world["city"],
        actor=carl,
        supervisors_per_target=2,
        today=timezone.localdate(),
        **values,
    )


def test_r_c2_city_adds_a_supervisor_of_its_city_to_the_pool(world, city_client):
    employer = filed_enterprise(world["nanshan"], name="南山精密机械有限公司")
    new = make_member("lin", "supervisor", bureau=world["city"])
    make_member("far", "supervisor", bureau=world["other_city"])
    page = city_client.get("/supervision/supervisors/new/")
    assert "lin" in page.content.decode() and "far" not in page.content.decode()
    response = city_client.post(
        "/supervision/supervisors/new/",
        {"user": new.pk, "employer": employer.pk, "employer_name": "", "active": "on"},
    )
    assert response.status_code == 302
    profile = SupervisorProfile.objects.get(user=new)
    assert (profile.city, profile.employer, profile.active) == (world["city"], employer, True)
    listing = city_client.get("/supervision/supervisors/").content.decode()
    assert "南山精密机械有限公司" in listing and "督导员名录" in listing


def test_r_c2_employer_must_be_a_filed_enterprise_of_the_city(world, city_client):
    foreign = filed_enterprise(world["shunde"])
    new = make_member("lin", "supervisor", bureau=world["city"])
    response = city_client.post(
        "/supervision/supervisors/new/",
        {"user": new.pk, "employer": foreign.pk, "employer_name": "深圳技师学院", "active": "on"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "任职企业：请选择本市已备案企业" in body
    assert "深圳技师学院" in body  # input kept
    assert not SupervisorProfile.objects.filter(user=new).exists()


def test_stale_edit_of_a_pool_entry_keeps_the_input_and_says_so(world, city_client):
    sam = make_member("sam", "supervisor", bureau=world["city"])
    profile = supervisor_profile(sam, city=world["city"])
    url = f"/supervision/supervisors/{profile.pk}/edit/"
    ok = city_client.post(url, {"employer_name": "深圳技师学院", "active": "on", "version": 1})
    assert ok.status_code == 302
    profile.refresh_from_db()
    assert (profile.employer_name, profile.version) == ("深圳技师学院", 2)
    stale = city_client.post(url, {"employer_name": "鉴定协会", "version": 1})
    body = stale.content.decode()
    assert stale.status_code == 200
    assert "鉴定协会" in body and "他人在此期间保存的内容" in body
    profile.refresh_from_db()
    assert (profile.employer_name, profile.active) == ("深圳技师学院", True)


def test_new_draw_form_suggests_the_next_batch_title(world, city_client):
    year = timezone.localdate().year
    body = city_client.get("/supervision/draws/new/").content.decode()
    assert f"{year}年第1批双随机抽查" in body


def test_r_c2_an_empty_pool_is_refused_in_chinese_with_the_input_kept(world, city_client):
    filed_enterprise(world["nanshan"])
    response = city_client.post(
        "/supervision/draws/new/",
        {"title": "十二月专项抽查", "kind": "enterprises", "target_count": 4,
         "supervisors_per_target": 2},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert "督导员名录中在册的督导员有0名，每个对象需要2名" in body
    assert "十二月专项抽查" in body and 'value="4"' in body
    assert Draw.objects.count() == 0


def test_r_m1_no_candidates_is_refused_in_chinese(world, city_client):
    supervisors_in_pool(world["city"], 2)
    response = city_client.post(
        "/supervision/draws/new/",
        {"title": "场次抽查", "kind": "sessions", "target_count": 1, "supervisors_per_target": 2},
    )
    body = response.content.decode()
    assert "今后60日内没有已确认的考核场次" in body and "场次抽查" in body


def test_r_m1_a_draw_is_made_shown_verified_and_published_once(world, city_client):
    for _i in range(3):
        filed_enterprise(world["nanshan"])
    supervisors_in_pool(world["city"], 3)
    response = city_client.post(
        "/supervision/draws/new/",
        {"title": "第一批", "kind": "enterprises", "target_count": 2, "supervisors_per_target": 2},
    )
    draw = Draw.objects.get()
    assert response["Location"] == f"/supervision/draws/{draw.pk}/"
    body = city_client.get(response["Location"]).content.decode()
    assert draw.seed in body and "与下列检查对象完全一致" in body
    # Issue 16: the seed, the algorithm's name and its hashing sit behind a disclosure.
    start = body.index('<details class="technical">')
    details = body[start : body.index("</details>", start)]
    assert draw.seed in details and "SHA-256" in details and draw.algorithm in details
    before = body[:start]
    assert "SHA-256" not in before and draw.algorithm not in before
    assert draw.inspections.count() == 2
    first = city_client.post(f"/supervision/draws/{draw.pk}/publish/", follow=True)
    draw.refresh_from_db()
    assert draw.published_on == timezone.localdate()
    assert "已在公开页面公布" in first.content.decode()
    second = city_client.post(f"/supervision/draws/{draw.pk}/publish/", follow=True)
    assert "不能重复公布" in second.content.decode()


def test_r_m1_a_tampered_draw_shows_the_mismatch_and_cannot_be_published(world, carl, city_client):
    for _i in range(3):
        filed_enterprise(world["nanshan"])
    people = supervisors_in_pool(world["city"], 5)
    draw = _draw(world, carl)
    assignment = InspectionAssignment.objects.filter(inspection__draw=draw).first()
    taken = set(
        InspectionAssignment.objects.filter(inspection=assignment.inspection).values_list(
            "supervisor_id", flat=True
        )
    )
    outsider = next(u for u in people if u.pk not in taken)
    InspectionAssignment.objects.filter(pk=assignment.pk).update(supervisor=outsider)
    body = city_client.get(f"/supervision/draws/{draw.pk}/").content.decode()
    assert "记录被改动过" in body
    refused = city_client.post(f"/supervision/draws/{draw.pk}/publish/", follow=True)
    assert "不能公布" in refused.content.decode()
    draw.refresh_from_db()
    assert draw.published_on is None


def test_draw_detail_explains_conflicts_and_skipped_candidates(world, carl, city_client):
    a = filed_enterprise(world["nanshan"], name="南山精密机械有限公司")
    filed_enterprise(world["futian"])
    works_at_a, _other = supervisors_in_pool(world["city"], 2)
    supervisor_profile(works_at_a, city=world["city"], employer=a)
    draw = _draw(world, carl)
    body = city_client.get(f"/supervision/draws/{draw.pk}/").content.decode()
    assert "本单位" in body and "跳过的对象" in body
    assert draw.skipped == [a.pk]


def test_r_m1_coverage_lists_the_uninspected_first_and_counts_them(world, carl, city_client):
    drawn = filed_enterprise(world["nanshan"], name="甲已抽查企业")
    missing = filed_enterprise(world["futian"], name="乙未抽查企业")
    supervisors_in_pool(world["city"], 2)
    draw = _draw(world, carl, target_count=1)
    # Only one of the two was drawn; which one is up to the seed.
    taken = draw.inspections.get().enterprise
    other = missing if taken == drawn else drawn
    body = city_client.get("/supervision/coverage/").content.decode()
    assert body.index(other.name) < body.index(taken.name)
    assert "家尚未抽查（共2家已备案企业）" in body
    assert "<b>1</b>" in body
    export = city_client.get("/supervision/coverage/export/")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "企业"
    assert [r[0] for r in rows[1:]] == [other.name, taken.name]
    assert rows[1][3] == "尚未抽查" and rows[2][3] == "是" and rows[2][4] == "测试抽查"


def test_r_m1_a_district_sees_only_its_part_of_the_coverage(world, client):
    filed_enterprise(world["nanshan"], name="南山企业")
    filed_enterprise(world["futian"], name="福田企业")
    client.force_login(make_member("dora", "district", bureau=world["nanshan"]))
    body = client.get("/supervision/coverage/").content.decode()
    assert "南山企业" in body and "福田企业" not in body
    sheet = load_workbook(io.BytesIO(client.get("/supervision/coverage/export/").content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["南山企业"]


def test_r_m1_the_city_desk_shows_the_coverage_and_the_unpublished_draw(world, carl, city_client):
    for _i in range(3):
        filed_enterprise(world["nanshan"])
    supervisors_in_pool(world["city"], 2)
    _draw(world, carl, target_count=1, title="待公布的抽查")
    body = city_client.get("/dashboard/").content.decode()
    assert "3家已备案企业中，今年尚有2家未被抽查" in body
    assert "待公布的抽查" in body
