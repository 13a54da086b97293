"""The enterprise's filing pages: the application form, the scope lines (R-F3), the checks shown
before submission (R-F1 … R-F8), bans (R-M2/R-M3), and edits that would overwrite someone else's."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from filings.models import Filing, FilingScopeLine, FilingStatus, WorkType
from portal.core.models import ApplicationWindow
from tests.support.factories import (
    FilingFactory,
    OccupationFactory,
    SanctionFactory,
    ScopeLineFactory,
    complete_filing,
    filing_form,
    make_member,
)


def rendered_version(page: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', page).group(1))


# The application form --------------------------------------------------------------------------


def test_an_enterprise_starts_a_draft(client, alice, ent_a):
    client.force_login(alice)
    response = client.post("/filings/new/", filing_form(), follow=True)
    filing = Filing.objects.get(enterprise=ent_a)
    assert response.redirect_chain[-1][0] == f"/filings/{filing.pk}/"
    text = response.text
    assert "草稿已保存。请继续添加备案范围和材料。" in text
    assert filing.status == FilingStatus.DRAFT and filing.insured_employees == 1200
    # The checks before submission list what is still missing, with rule ids.
    assert 'class="rule"' not in text and "R-F3" not in text
    assert "<li>缺少材料：营业执照。" in text


def test_filing_form_errors_name_the_field_and_keep_the_input(client, alice, ent_a):
    client.force_login(alice)
    response = client.post(
        "/filings/new/",
        filing_form(insured_employees="一千二", situation="技能人才一千余人，高技能人才三百人"),
    )
    assert response.status_code == 200
    text = response.text
    assert "参保职工人数：输入整数。" in text
    assert 'value="一千二"' in text
    assert "技能人才一千余人，高技能人才三百人</textarea>" in text
    assert "数控机床、精密零部件的研发、生产和销售</textarea>" in text
    assert not Filing.objects.exists()


def test_a_required_fact_left_empty_is_named(client, alice):
    client.force_login(alice)
    text = client.post("/filings/new/", filing_form(business_scope="", enterprise_size="")).text
    assert "经营范围：这个字段是必填项。" in text
    assert "企业规模：这个字段是必填项。" in text


def test_a_second_open_filing_is_refused(client, alice, ent_a):
    FilingFactory(enterprise=ent_a)
    client.force_login(alice)
    response = client.post("/filings/new/", filing_form())
    assert "企业已有一份未办结的备案申请，请先办结。" in response.text
    assert Filing.objects.filter(enterprise=ent_a).count() == 1


@pytest.mark.parametrize("persona", ["dora", "carl", "erin"])
def test_only_an_enterprise_starts_a_filing(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/filings/new/").status_code == 404


def test_another_enterprise_cannot_open_or_edit_the_draft(client, bob, ent_a):
    draft = FilingFactory(enterprise=ent_a)
    client.force_login(bob)
    assert client.get(f"/filings/{draft.pk}/").status_code == 404
    assert client.get(f"/filings/{draft.pk}/edit/").status_code == 404
    assert client.post(f"/filings/{draft.pk}/edit/", filing_form()).status_code == 404


# R-M2 / R-M3 bans through the pages ------------------------------------------------------------


def test_r_m2_a_banned_enterprise_cannot_start_a_filing_and_is_told_until_when(
    client, alice, ent_a
):
    SanctionFactory(enterprise=ent_a, reason="组织考生替考", ban_until=dt.date(2030, 3, 1))
    client.force_login(alice)
    response = client.post("/filings/new/", filing_form())
    text = response.text
    assert "2030-03-01前不得重新申请备案" in text
    assert "取消备案" in text and "组织考生替考" in text
    assert 'value="1200"' in text  # the input is kept
    assert not Filing.objects.exists()


def test_r_m3_a_banned_enterprise_cannot_submit_its_draft(client, alice, ent_a):
    filing = complete_filing(ent_a, uploaded_by=alice)
    SanctionFactory(enterprise=ent_a, kind="removed", ban_until=dt.date(2028, 1, 31))
    client.force_login(alice)
    page = client.get(f"/filings/{filing.pk}/").text
    assert "2028-01-31" in page and "R-M3" not in page
    assert re.search(r"<button type=\"submit\" disabled>提交备案申请</button>", page)
    response = client.post(
        f"/filings/{filing.pk}/submit/", {"version": filing.version}, follow=True
    )
    text = response.text
    assert "备案申请暂不能提交：" in text
    assert "R-M3" not in text and "2028-01-31前不得重新申请备案" in text
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DRAFT


def test_r_m2_an_expired_ban_no_longer_blocks_the_pages(client, alice, ent_a):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    SanctionFactory(enterprise=ent_a, decided_on=dt.date(2020, 1, 6), ban_until=yesterday)
    client.force_login(alice)
    client.post("/filings/new/", filing_form())
    filing = Filing.objects.get(enterprise=ent_a)
    page = client.get(f"/filings/{filing.pk}/").text
    assert "R-M2" not in page


# R-F4 and a complete filing on the page --------------------------------------------------------


def test_r_f4_the_page_names_the_next_window(client, world, alice, ent_a):
    ApplicationWindow.objects.filter(bureau=world["city"]).delete()
    ApplicationWindow.objects.create(
        bureau=world["city"], opens_on=dt.date(2099, 3, 1), closes_on=dt.date(2099, 4, 15)
    )
    filing = complete_filing(ent_a, uploaded_by=alice)
    client.force_login(alice)
    page = client.get(f"/filings/{filing.pk}/").text
    assert "<li>深圳市仅在受理期内接受备案申请；" in page
    assert "下一受理期为2099-03-01至2099-04-15。" in page


def test_r_f4_without_a_future_window_the_page_says_none_is_announced(client, world, alice, ent_a):
    ApplicationWindow.objects.filter(bureau=world["city"]).delete()
    filing = complete_filing(ent_a, uploaded_by=alice)
    client.force_login(alice)
    page = client.get(f"/filings/{filing.pk}/").text
    assert "下一受理期尚未公布" in page


def test_a_complete_filing_can_be_submitted_from_its_page(client, alice, ent_a):
    filing = complete_filing(ent_a, uploaded_by=alice)
    client.force_login(alice)
    page = client.get(f"/filings/{filing.pk}/").text
    assert "平台可检查的各项条件均已满足。" in page
    assert '<button type="submit">提交备案申请</button>' in page
    response = client.post(
        f"/filings/{filing.pk}/submit/",
        {"version": rendered_version(page), "pledge": "on"},
        follow=True,
    )
    assert "备案申请已提交，进入区级初审。" in response.text


# Stale edits -----------------------------------------------------------------------------------


@pytest.fixture
def alan(ent_a):
    """A second operator of enterprise A."""
    return make_member("alan", "enterprise", enterprise=ent_a)


def test_a_stale_edit_is_refused_and_shows_both_versions(client, alice, alan, ent_a):
    filing = FilingFactory(enterprise=ent_a)
    url = f"/filings/{filing.pk}/edit/"
    client.force_login(alice)
    other = Client()
    other.force_login(alan)
    alice_version = rendered_version(client.get(url).text)
    alan_version = rendered_version(other.get(url).text)
    assert alice_version == alan_version

    saved = client.post(
        url,
        filing_form(
            insured_employees="1500", business_scope="汽车零部件制造", version=alice_version
        ),
    )
    assert saved.status_code == 302

    response = other.post(
        url,
        filing_form(insured_employees="1300", situation="阿兰填写的情况说明", version=alan_version),
    )
    assert response.status_code == 200
    text = response.text
    assert "您打开表单后，他人已修改了该记录。您输入的内容保留在下方" in text
    # Alan's input is still in the form …
    assert 'value="1300"' in text
    assert "阿兰填写的情况说明</textarea>" in text
    # … and what Alice saved meanwhile is shown beside it.
    saved_part = text[
        text.index("他人在此期间保存的内容") : text.index(
            '<form method="post"', text.index("他人在此期间保存的内容")
        )
    ]
    assert "<dt>参保职工人数</dt><dd>1500</dd>" in saved_part
    assert "汽车零部件制造" in saved_part
    filing.refresh_from_db()
    assert filing.insured_employees == 1500
    assert filing.business_scope == "汽车零部件制造"
    assert filing.situation != "阿兰填写的情况说明"

    # Saving again from the re-rendered form is a deliberate overwrite, and it works.
    again = other.post(
        url,
        filing_form(
            insured_employees="1300",
            situation="阿兰填写的情况说明",
            version=rendered_version(text),
        ),
    )
    assert again.status_code == 302
    filing.refresh_from_db()
    assert filing.insured_employees == 1300 and filing.situation == "阿兰填写的情况说明"


def test_a_submitted_filing_cannot_be_edited(client, alice, ent_a):
    filing = FilingFactory(enterprise=ent_a, status=FilingStatus.DISTRICT_REVIEW)
    client.force_login(alice)
    assert client.get(f"/filings/{filing.pk}/edit/").status_code == 404
    response = client.post(f"/filings/{filing.pk}/edit/", filing_form(version=filing.version))
    assert response.status_code == 404
    filing.refresh_from_db()
    assert filing.insured_employees == 1200


# R-F3: scope lines -----------------------------------------------------------------------------


@pytest.fixture
def draft(ent_a):
    return FilingFactory(enterprise=ent_a)


@pytest.fixture
def turner(db):
    occupation = OccupationFactory(code="6-18-01-01", name="车工")
    WorkType.objects.create(occupation=occupation, name="数控车工")
    return occupation


@pytest.fixture
def electrician(db):
    occupation = OccupationFactory(code="6-31-01-03", name="电工")
    WorkType.objects.create(occupation=occupation, name="维修电工")
    return occupation


def line_data(occupation, work_type=None, **overrides) -> dict:
    data = {
        "occupation": occupation.pk,
        "work_type": work_type.pk if work_type else "",
        "levels": ["5", "4", "3"],
        "standard_type": "national",
        "workstations": "24",
        "examiners": "6",
        "applicants": "180",
        "related_to_main_business": "on",
        "version": "1",
    }
    data.update(overrides)
    return data


def add_line(client, filing, data):
    return client.post(f"/filings/{filing.pk}/lines/new/", data, follow=True)


def test_r_f3_a_scope_line_is_added(client, alice, draft, turner):
    client.force_login(alice)
    numerical = turner.work_types.get()
    text = add_line(client, draft, line_data(turner, numerical)).text
    assert "备案范围已保存。" in text
    line = FilingScopeLine.objects.get(filing=draft)
    assert (line.work_type, sorted(line.levels)) == (numerical, [3, 4, 5])
    assert "<td>数控车工</td><td>五级至三级</td>" in text


def test_r_f3_a_line_without_level_is_refused(client, alice, draft, turner):
    client.force_login(alice)
    data = line_data(turner, turner.work_types.get())
    del data["levels"]
    text = add_line(client, draft, data).text
    assert "等级：请至少选择一个等级。" in text
    assert 'value="180"' in text  # the input is kept
    assert not FilingScopeLine.objects.exists()


def test_r_f3_a_work_type_of_another_occupation_is_refused_naming_the_field(
    client, alice, draft, turner, electrician
):
    client.force_login(alice)
    text = add_line(client, draft, line_data(turner, electrician.work_types.get())).text
    assert "工种：“维修电工”不是车工的工种。" in text
    assert not FilingScopeLine.objects.exists()


def test_r_f3_an_occupation_with_work_types_needs_one(client, alice, draft, turner):
    client.force_login(alice)
    text = add_line(client, draft, line_data(turner)).text
    assert "工种：车工下设工种，请选择工种。" in text
    assert not FilingScopeLine.objects.exists()


def test_r_f3_an_occupation_without_work_types_needs_none(client, alice, draft):
    plain = OccupationFactory(code="4-10-01-05", name="养老护理员")
    client.force_login(alice)
    add_line(client, draft, line_data(plain))
    assert FilingScopeLine.objects.get().work_type is None


@pytest.mark.parametrize("with_work_type", [True, False])
def test_r_f3_a_duplicate_line_is_refused(client, alice, draft, turner, with_work_type):
    occupation = turner if with_work_type else OccupationFactory(code="4-10-01-05", name="养老")
    work_type = turner.work_types.get() if with_work_type else None
    ScopeLineFactory(filing=draft, occupation=occupation, work_type=work_type)
    client.force_login(alice)
    response = add_line(client, draft, line_data(occupation, work_type, levels=["2"]))
    assert "该职业（工种）已在备案范围内。" in response.text
    assert FilingScopeLine.objects.filter(filing=draft).count() == 1
    assert FilingScopeLine.objects.get().levels == [5, 4, 3]


def test_r_f3_a_stale_line_edit_is_refused(client, alice, draft, turner):
    line = ScopeLineFactory(filing=draft, occupation=turner, work_type=turner.work_types.get())
    client.force_login(alice)
    url = f"/filings/{draft.pk}/lines/{line.pk}/"
    version = rendered_version(client.get(url).text)
    # Someone else adds a line meanwhile, which bumps the filing's version.
    add_line(client, draft, line_data(OccupationFactory(code="4-10-01-05", name="养老护理员")))
    response = client.post(
        url, line_data(turner, turner.work_types.get(), levels=["2"], version=str(version))
    )
    assert "您打开表单后，他人已修改了该记录" in response.text
    line.refresh_from_db()
    assert line.levels == [5, 4, 3]
