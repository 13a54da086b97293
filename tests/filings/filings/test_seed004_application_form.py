"""Seed 004 附件1: the application form's basic information (注册登记机构, 负责人 and 职务, the
contact's 职务 and 手机, 填报人), the applicant's pledge ticked at submission, the history of
edits, and the printable application form (PDF) in the attachment's layout."""

import re

import pytest

from filings.models import Filing, FilingStatus, WorkType
from tests.support.factories import (
    FilingFactory,
    OccupationFactory,
    ScopeLineFactory,
    complete_filing,
    filing_form,
    make_member,
)
from tests.support.pdfs import pdf_text, pdf_text_without_spaces

PLEDGE = "单位法人代表对所填写内容及所提供材料的真实性和有效性负责。"


def rendered_version(page: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', page).group(1))


@pytest.fixture
def filing(ent_a) -> Filing:
    filing = FilingFactory(
        enterprise=ent_a,
        registration_authority="深圳市市场监督管理局南山监管局",
        principal_name="张国强",
        principal_title="总经理",
        principal_phone="0755-26001234",
        contact_title="人力资源部部长",
        contact_mobile="13912345678",
        filled_in_by="刘晓梅",
        filler_phone="0755-26005678",
    )
    turner = OccupationFactory(code="6-18-01-01", name="车工")
    ScopeLineFactory(
        filing=filing,
        occupation=turner,
        work_type=WorkType.objects.create(occupation=turner, name="数控车工"),
        levels=[5, 4, 3],
    )
    return filing


def test_seed004_annex1_the_form_asks_for_the_registration_authority_and_keeps_the_input(
    client, alice, ent_a
):
    client.force_login(alice)
    data = filing_form(registration_authority="", principal_name="张国强")
    page = client.post("/filings/new/", data).text
    assert "请填写“注册登记机构”。" in page
    assert 'value="张国强"' in page
    assert not Filing.objects.filter(enterprise=ent_a).exists()


def test_seed004_annex1_the_contact_mobile_must_be_a_mainland_mobile_number(client, alice, ent_a):
    client.force_login(alice)
    page = client.post("/filings/new/", filing_form(contact_mobile="0755-2600123")).text
    assert (
        "“联系人手机”应为11位大陆手机号码（以13–19开头），“0755-2600123”不是有效的手机号码。"
    ) in page
    assert 'value="0755-2600123"' in page
    assert not Filing.objects.filter(enterprise=ent_a).exists()
    client.post("/filings/new/", filing_form(contact_mobile="139 1234 5678"))
    assert Filing.objects.get(enterprise=ent_a).contact_mobile == "13912345678"


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("principal_name", "负责人"),
        ("principal_title", "负责人职务"),
        ("contact_title", "联系人职务"),
        ("filled_in_by", "填报人"),
    ],
)
def test_seed004_annex1_each_basic_field_is_required_by_its_label(client, alice, field, label):
    client.force_login(alice)
    page = client.post("/filings/new/", filing_form(**{field: ""})).text
    assert f"请填写“{label}”。" in page


def test_seed004_annex1_a_draft_saved_without_the_new_fields_cannot_be_submitted(
    client, alice, ent_a
):
    draft = complete_filing(ent_a, uploaded_by=alice, registration_authority="", contact_mobile="")
    client.force_login(alice)
    page = client.get(f"/filings/{draft.pk}/").text
    assert "申请表中的“注册登记机构”未填写。" in page
    assert "申请表中的“联系人手机”未填写。" in page


def test_seed004_annex1_submission_needs_the_pledge_ticked_and_records_who_and_when(
    client, alice, ent_a
):
    draft = complete_filing(ent_a, uploaded_by=alice)
    client.force_login(alice)
    page = client.get(f"/filings/{draft.pk}/").text
    assert "申请单位承诺" in page and PLEDGE in page
    assert 'name="pledge"' in page
    refused = client.post(
        f"/filings/{draft.pk}/submit/", {"version": rendered_version(page)}, follow=True
    ).text
    assert (
        f"请勾选申请单位承诺：单位法人代表{ent_a.legal_representative}"
        "对所填写内容及所提供材料的真实性和有效性负责。"
    ) in refused
    assert Filing.objects.get(pk=draft.pk).status == FilingStatus.DRAFT

    client.post(f"/filings/{draft.pk}/submit/", {"version": rendered_version(page), "pledge": "on"})
    filing = Filing.objects.get(pk=draft.pk)
    assert filing.status == FilingStatus.DISTRICT_REVIEW
    assert filing.pledged_by == alice and filing.pledged_at is not None
    assert filing.pledge_signatory == ent_a.legal_representative
    shown = client.get(f"/filings/{draft.pk}/").text
    assert f"代单位法人代表{ent_a.legal_representative}确认" in shown


def test_seed004_annex1_the_history_shows_the_changed_fields_with_their_chinese_labels(
    client, alice, ent_a
):
    draft = complete_filing(ent_a, uploaded_by=alice)
    client.force_login(alice)
    page = client.get(f"/filings/{draft.pk}/edit/").text
    data = filing_form(
        version=rendered_version(page),
        registration_authority="深圳市南山区市场监督管理局",
        contact_title="行政总监",
    )
    client.post(f"/filings/{draft.pk}/edit/", data)
    page = client.get(f"/filings/{draft.pk}/").text
    assert "注册登记机构：深圳市南山区市场监督管理局" in page
    assert "联系人职务：行政总监" in page


def test_seed004_annex1_filing_form_pdf_shows_registration_authority_and_every_field(
    client, alice, filing, ent_a
):
    client.force_login(alice)
    response = client.get(f"/filings/{filing.pk}/application.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    flat = pdf_text_without_spaces(response.content)
    assert "企业技能人才自主评价备案申请表" in text
    for value in (
        ent_a.name,
        "深圳市市场监督管理局南山监管局",
        ent_a.credit_code,
        "张国强",
        "总经理",
        "0755-26001234",
        "人力资源部部长",
        "13912345678",
        "刘晓梅",
        "0755-26005678",
        ent_a.contact_name,
    ):
        assert value in flat, value
    for label in ("注册登记机构", "统一社会信用代码", "负责人", "职务", "手机", "填报人"):
        assert label in flat, label
    for section in ("一、基本信息", "三、场地设备情况", "四、专职人员和考评人员情况"):
        assert section in flat, section
    assert "申请单位承诺" in flat and re.sub(r"\s+", "", PLEDGE) in flat
    assert "法人代表签字" in flat


def test_seed004_annex1_filing_form_pdf_lists_the_scope_lines_in_a_table(client, alice, filing):
    client.force_login(alice)
    text = pdf_text(client.get(f"/filings/{filing.pk}/application.pdf").content)
    assert "职业技能等级认定职业（工种）和标准目录清单" in text
    row = next(line for line in text.splitlines() if "6-18-01-01" in line)
    assert "车工" in row and "数控车工" in row and "五级至三级" in row and "国家标准" in row


def test_seed004_annex1_filing_form_pdf_ticks_the_enterprise_nature(client, alice, filing, ent_a):
    ent_a.nature = "private"
    ent_a.save()
    client.force_login(alice)
    flat = pdf_text_without_spaces(client.get(f"/filings/{filing.pk}/application.pdf").content)
    assert "■民营" in flat and "□国有" in flat


def test_seed004_annex1_filing_form_pdf_is_for_the_enterprise_and_its_reviewers_only(
    client, filing, ent_b, dora, carl, olga, world
):
    filing.status = FilingStatus.CITY_REVIEW
    filing.save()
    url = f"/filings/{filing.pk}/application.pdf"
    for reader in (dora, carl):
        client.force_login(reader)
        assert client.get(url).status_code == 200
    fred = make_member("fred", "district", bureau=world["futian"])
    bob = make_member("bob", "enterprise", enterprise=ent_b)
    for stranger in (olga, fred, bob):
        client.force_login(stranger)
        assert client.get(url).status_code == 404


def test_seed004_annex1_a_new_application_starts_from_the_last_ones_basic_information(
    client, alice, ent_a
):
    client.force_login(alice)
    first = client.get("/filings/new/").text
    assert f'value="{ent_a.legal_representative}"' in first  # the person in charge
    FilingFactory(
        enterprise=ent_a,
        status=FilingStatus.REJECTED,
        registration_authority="深圳市南山区市场监管局",
    )
    again = client.get("/filings/new/").text
    assert 'value="深圳市南山区市场监管局"' in again
