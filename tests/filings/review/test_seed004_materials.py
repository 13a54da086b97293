"""R-F8 as each notice lists it: Shandong's ten materials (seed 004 附件2), Beijing's five (seed
002 §六(一)), each required or optional, "other" among them when a jurisdiction asks for it; the
filing's page lists them with their marks and the submission names each missing required one."""

import re

import pytest

from filings.filings import services as filing_services
from filings.models import Filing, FilingStatus
from portal.core.errors import ServiceError
from portal.core.materials import material_items
from portal.core.models import Policy
from portal.core.policy import effective_policy
from tests.filings.review.jurisdictions import enterprise_draft, fresh
from tests.support.factories import FilingFactory, MaterialFactory, ScopeLineFactory, make_member

SHANDONG_TEN = [
    "企业技能人才自主评价备案申请表",
    "企业技能人才自主评价工作方案（含自主评价结果兑现薪酬待遇方案）",
    "法人登记证书复印件",
    "企业技能人才自主评价人员申报条件和破格申报条件",
    "企业技能人才培养、评价、使用、激励等人力资源管理制度目录清单",
    "职业技能等级认定职业（工种）和标准目录清单",
    "企业技能人才自主评价职业技能标准或评价规范",
    "企业技能人才自主评价职业（工种）培训大纲及教材目录清单",
    "企业技能人才自主评价职业（工种）题库或卷库目录清单",
    "企业技能人才自主评价职业（工种）评价的场地、设施设备配置及考评人员清单",
]


def _draft_with(district, kinds, level="district"):
    """A draft of a new enterprise of `district` with only the materials of `kinds`."""
    draft, operator = enterprise_draft(district, level)
    draft.materials.exclude(kind__in=kinds).delete()
    return draft, operator


def test_seed004_annex2_the_shandong_preset_lists_ten_required_materials(places):
    items = effective_policy(places["taishan"]).material_items
    assert [item.name for item in items] == SHANDONG_TEN
    assert all(item.required for item in items)


def test_seed002_s6_1_the_beijing_preset_lists_five_required_materials(places):
    items = effective_policy(places["chaoyang"]).material_items
    assert [item.name for item in items] == [
        "《北京市企业职业技能等级认定申请表》",
        "《企业职业技能等级认定工作实施方案》",
        "企业培训与认定工作的相关政策，明确职业技能等级认定结果与薪酬待遇挂钩的相关政策",
        "拟开展企业技能等级认定职业（工种）的评价标准或企业评价规范",
        "场地、设施设备、视频监控设备等相关材料",
    ]
    assert all(item.required for item in items)


def test_seed004_annex2_the_filing_page_lists_the_ten_items_with_required_marks(client, places):
    draft, operator = _draft_with(places["taishan"], ["application_form"])
    client.force_login(operator)
    page = client.get(f"/filings/{draft.pk}/").text
    checklist = page[page.index('<ul class="checklist">') :]
    checklist = checklist[: checklist.index("</ul>")]
    entries = re.findall(r"<li>(.*?)</li>", checklist, re.S)
    assert len(entries) == 10
    assert "✓" in entries[0] and SHANDONG_TEN[0] in entries[0] and "必交" in entries[0]
    assert all("✗" in entry and "必交" in entry for entry in entries[1:])


def test_seed004_annex2_submission_names_each_missing_required_item(friday, places):
    draft, operator = _draft_with(places["taishan"], ["application_form", "standards"])
    with pytest.raises(ServiceError) as refused:
        filing_services.filing_submit(filing=draft, actor=operator)
    missing = [p.message for p in refused.value.problems if p.rule == "R-F8"]
    expected = [name for i, name in enumerate(SHANDONG_TEN) if i not in (0, 6)]
    assert missing == [f"缺少材料：{name}。" for name in expected]
    assert fresh(draft).status == FilingStatus.DRAFT


def test_seed002_s6_1_a_beijing_filing_is_refused_naming_the_missing_site_material(
    client, friday, places
):
    kinds = ["application_form", "implementation_scheme", "pay_policy", "standards"]
    draft, operator = _draft_with(places["chaoyang"], kinds)
    client.force_login(operator)
    text = client.post(
        f"/filings/{draft.pk}/submit/", {"version": draft.version, "pledge": "on"}, follow=True
    ).text
    assert "缺少材料：场地、设施设备、视频监控设备等相关材料。" in text
    assert "缺少材料：《北京市企业职业技能等级认定申请表》" not in text


def test_seed004_annex2_the_province_edits_the_list_other_required_and_an_item_optional(
    client, friday, places
):
    admin = make_member("sd-admin", "province", bureau=places["shandong"], is_admin=True)
    client.force_login(admin)
    form = client.get("/city/settings/policy/").text
    assert 'name="required_materials__other"' in form
    assert "企业技能人才自主评价备案申请表" in form  # the notice's names are kept
    assert "§二(二), 附件2" in client.get("/city/settings/").text  # and the citation
    row = Policy.objects.get(bureau=places["shandong"])
    data = {"version": row.version, "delegated": row.delegated}
    for entry in material_items(row.required_materials):
        data[f"required_materials__{entry.kind}"] = "required"
        data[f"required_materials__{entry.kind}__name"] = entry.name
    data["required_materials__training_syllabus"] = "optional"
    data["required_materials__other"] = "required"
    data["required_materials__other__name"] = "安全生产许可证复印件"
    for name, value in (
        ("filing_open_all_year", "yes"),
        ("district_prereview", "no"),
        ("results_province_review", "yes"),
        ("removal_decided_by_province", "yes"),
    ):
        data[name] = value
    data["min_enterprise_size"] = "none"
    data["examinee_categories"] = row.examinee_categories
    for name in ("min_insured_employees", "min_workstations", "min_examiners", "min_applicants"):
        data[name] = 0
    response = client.post("/city/settings/policy/", data)
    assert response.status_code == 302, re.findall(r"errorlist.*?</ul>", response.text, re.S)
    items = effective_policy(places["taishan"]).material_items
    assert len(items) == 11
    assert items[-1].name == "安全生产许可证复印件" and items[-1].required
    assert not next(i for i in items if i.kind == "training_syllabus").required
    settings_page = client.get("/city/settings/").text
    assert "安全生产许可证复印件（必交）" in settings_page
    assert "企业技能人才自主评价职业（工种）培训大纲及教材目录清单（选交）" in settings_page

    draft, operator = _draft_with(
        places["taishan"], [i.kind for i in items if i.kind not in ("other", "training_syllabus")]
    )
    with pytest.raises(ServiceError) as refused:
        filing_services.filing_submit(filing=draft, actor=operator)
    assert [p.message for p in refused.value.problems] == ["缺少材料：安全生产许可证复印件。"]
    MaterialFactory(filing=draft, kind="other", uploaded_by=operator)
    filing_services.filing_submit(filing=fresh(draft), actor=operator)
    assert fresh(draft).status == FilingStatus.CITY_REVIEW


def test_r_f8_a_list_saved_as_bare_kinds_still_reads_as_required_items(ent_a, alice, world):
    Policy.objects.filter(bureau=world["city"]).update(
        required_materials=["application_form", "business_licence"]
    )
    items = effective_policy(world["nanshan"]).material_items
    assert [(i.kind, i.name, i.required) for i in items] == [
        ("application_form", "备案申请表", True),
        ("business_licence", "营业执照", True),
    ]
    filing = FilingFactory(enterprise=ent_a)
    ScopeLineFactory(filing=filing)
    MaterialFactory(filing=filing, kind="examiner_list", uploaded_by=alice)
    MaterialFactory(filing=filing, kind="application_form", uploaded_by=alice)
    with pytest.raises(ServiceError) as refused:
        filing_services.filing_submit(filing=filing, actor=alice)
    assert [p.message for p in refused.value.problems if p.rule == "R-F8"] == [
        "缺少材料：营业执照。"
    ]
    assert Filing.objects.get(pk=filing.pk).materials.count() == 2
