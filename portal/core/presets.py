"""The values the source notices state, as presets a bureau applies when it is set up.

Each value names the seed and section it comes from (`../shared/seeds/`); the settings page
shows that citation beside the value. A value a notice does not state is left empty, so it is
inherited from the level above or takes the portal's default (portal.core.policy.DEFAULTS).
"""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from portal.core.materials import item
from portal.core.models import Bureau, BureauLevel, Policy

# Seed 002 §六(一): the five materials an enterprise of Beijing files, all required.
BEIJING_MATERIALS = [
    item("application_form", "《北京市企业职业技能等级认定申请表》"),
    item("implementation_scheme", "《企业职业技能等级认定工作实施方案》"),
    item(
        "pay_policy",
        "企业培训与认定工作的相关政策，明确职业技能等级认定结果与薪酬待遇挂钩的相关政策",
    ),
    item("standards", "拟开展企业技能等级认定职业（工种）的评价标准或企业评价规范"),
    item("site_evidence", "场地、设施设备、视频监控设备等相关材料"),
]

# Seed 004 附件2: the ten materials of a Shandong filing, all required.
SHANDONG_MATERIALS = [
    item("application_form", "企业技能人才自主评价备案申请表"),
    item(
        "implementation_scheme",
        "企业技能人才自主评价工作方案（含自主评价结果兑现薪酬待遇方案）",
    ),
    item("business_licence", "法人登记证书复印件"),
    item("application_conditions", "企业技能人才自主评价人员申报条件和破格申报条件"),
    item("pay_policy", "企业技能人才培养、评价、使用、激励等人力资源管理制度目录清单"),
    item("occupation_list", "职业技能等级认定职业（工种）和标准目录清单"),
    item("standards", "企业技能人才自主评价职业技能标准或评价规范"),
    item("training_syllabus", "企业技能人才自主评价职业（工种）培训大纲及教材目录清单"),
    item("question_bank", "企业技能人才自主评价职业（工种）题库或卷库目录清单"),
    item(
        "site_evidence",
        "企业技能人才自主评价职业（工种）评价的场地、设施设备配置及考评人员清单",
    ),
]


@dataclass(frozen=True)
class Preset:
    key: str
    label: Any
    level: str  # the level of the bureau the preset is for
    values: dict[str, Any]
    # Value name → where the notice states it.
    sources: dict[str, str]
    # Application windows the notice names: (month-day opens, month-day closes, name).
    yearly_windows: tuple[tuple[str, str, str], ...] = ()
    delegated: tuple[str, ...] | None = None
    # The province's own certificate query site (name, address), stored on its bureau.
    query_site: tuple[str, str] | None = None
    query_site_source: str = ""


def _checklist(pass_mark: int, *items: tuple[str, int, str]) -> dict:
    return {
        "items": [
            {"name": name, "weight": weight, "description": description}
            for name, weight, description in items
        ],
        "pass_mark": pass_mark,
    }


# The notices name what the experts evaluate, not its points: the points and the pass mark below
# are the portal's proposal, which the bureau adjusts on its policy page.
# Seed 001 §六(一)2: the experts' on-site evaluation checks the conditions of §一(三)–(六).
SHENZHEN_CHECKLIST = _checklist(
    60,
    ("场地设备与工位", 30, "与评价职业（工种）相适应的场地、设备，每个职业（工种）不少于10个工位"),
    ("培养、评价、使用、激励机制", 20, "建有完整的技能人才培养、评价、使用、激励机制"),
    ("技能等级与岗位、薪资挂钩制度", 20, "技能等级与岗位（职位）、薪资相挂钩的规章制度"),
    (
        "评价管理人员与考评、督导队伍",
        30,
        "专职评价管理人员，专家、考评、质量督导人员，每个职业（工种）不少于3名考评人员",
    ),
)
# Seed 002 §六(二): the six items of Beijing's expert evaluation (what each covers: §一).
BEIJING_CHECKLIST = _checklist(
    60,
    ("企业基本情况", 15, "依法注册、独立法人资格、管理制度和企业信用"),
    ("人力资源管理制度", 20, "技能人才队伍建设规划，培养、评价、使用、待遇的激励约束机制"),
    ("经费保障措施", 15, "技能人才培养和认定工作的经费保障"),
    (
        "认定工作机构及质量保障体系",
        20,
        "专门工作机构和专家队伍，专兼职工作人员、考评人员、质量内控人员",
    ),
    ("认定场地、设备设施", 20, "与认定工作相适应的场地、设施设备、视频监控设备"),
    ("信息化建设", 10, "认定工作的信息化管理和视频监控"),
)
# Seed 003 §一: Foshan's enterprise conditions the experts verify.
FOSHAN_CHECKLIST = _checklist(
    60,
    ("场地、设施设备和视频监控", 20, "每个职业（工种）不少于10个工位（§一(三)）"),
    ("培养评价激励机制和待遇落实", 15, "人力资源管理制度和激励约束机制（§一(四)）"),
    (
        "培训考核机构和评价人员",
        20,
        "内设机构、专职管理人员、考评员和内部质量督导人员（§一(五)(六)）",
    ),
    ("标准、课程和题库开发能力", 25, "职业技能标准或评价规范、企业培训课程、企业试题（§一(七)）"),
    ("财务制度和职工教育经费保障", 20, "足额提取并使用职工教育经费，经费保障稳定（§一(八)）"),
)


SHENZHEN = Preset(
    key="shenzhen",
    label=_("Shenzhen (seeds 000, 001)"),
    level=BureauLevel.CITY,
    values={
        "min_insured_employees": 300,
        "min_enterprise_size": "none",
        "excluded_scope_keywords": ["培训", "评价", "鉴定", "咨询"],
        "min_workstations": 10,
        "min_examiners": 3,
        "min_applicants": 50,
        "district_prereview": True,
        "review_working_days": 20,
        "correction_working_days": 10,
        "filing_validity_years": 3,
        "plan_lead_working_days": 10,
        "min_plan_examiners": 3,
        "examinee_categories": ["employee", "affiliated", "dispatched"],
        "dispatched_min_months": 12,
        "publicity_working_days": 5,
        "result_filing_working_days": 15,
        "expert_checklist": SHENZHEN_CHECKLIST,
    },
    sources={
        "min_insured_employees": "seed 001 §一(一)(2)",
        "min_enterprise_size": "seed 001 §一",
        "excluded_scope_keywords": "seed 001 §一(一)",
        "min_workstations": "seed 001 §一(三)",
        "min_examiners": "seed 001 §一(六)",
        "min_applicants": "seed 001 §二",
        "district_prereview": "seed 000 §三",
        "review_working_days": "seed 001 §六(一)2",
        "plan_lead_working_days": "seed 001 §六(三)1",
        "min_plan_examiners": "seed 001 §一(六)",
        "examinee_categories": "seed 001 §三",
        "dispatched_min_months": "seed 001 §三(三)",
        "publicity_working_days": "seed 001 §六(三)3",
        "result_filing_working_days": "seed 001 §六(三)3",
        "expert_checklist": "seed 001 §六(一)2, §一(三)–(六)",
    },
    # Seed 000 §四, §五: Pingshan runs its own window and its own random inspections.
    delegated=("application_windows", "random_draws"),
)

BEIJING = Preset(
    key="beijing",
    label=_("Beijing (seed 002)"),
    level=BureauLevel.CITY,
    values={
        "min_insured_employees": 0,
        "min_enterprise_size": "none",
        "min_workstations": 0,
        "min_examiners": 0,
        "min_applicants": 0,
        "district_prereview": True,
        "filing_validity_years": 3,
        "filing_confirmation": True,
        "required_materials": BEIJING_MATERIALS,
        "examinee_categories": ["employee", "dispatched", "student", "apprentice"],
        "annual_report_due": "03-31",
        "expert_checklist": BEIJING_CHECKLIST,
    },
    sources={
        "min_insured_employees": "seed 002 §一",
        "min_enterprise_size": "seed 002 §一",
        "min_workstations": "seed 002 §一",
        "min_examiners": "seed 002 §一",
        "min_applicants": "seed 002 §一",
        "district_prereview": "seed 002 §六(一)",
        "filing_validity_years": "seed 002 §六(三)",
        "filing_confirmation": "seed 002 §四, §六(三)",
        "required_materials": "seed 002 §六(一)",
        "examinee_categories": "seed 002 §二(一)",
        "annual_report_due": "seed 002 §六(四)",
        "application_windows": "seed 002 §五",
        "expert_checklist": "seed 002 §六(二)",
    },
    yearly_windows=(
        ("01-01", "05-31", "上半年申请（5月底前）"),
        ("06-01", "10-31", "下半年申请（10月底前）"),
    ),
)

FOSHAN = Preset(
    key="foshan",
    label=_("Foshan (seed 003)"),
    level=BureauLevel.CITY,
    values={
        "min_insured_employees": 300,
        "min_enterprise_size": "medium",
        "excluded_scope_keywords": ["培训", "评价", "咨询"],
        "min_workstations": 10,
        "min_examiners": 3,
        "examinee_categories": ["employee", "dispatched"],
        "dispatched_min_months": 12,
        "expert_checklist": FOSHAN_CHECKLIST,
        "org_min_history_years": 6,
        "org_min_training_total": 30_000,
        "org_min_occupation_training": 6_000,
        "org_min_evaluation_percent": 30,
        "org_shortage_occupations_only": True,
    },
    sources={
        "org_min_history_years": "seed 003 §二(一)2",
        "org_min_training_total": "seed 003 §二(一)2",
        "org_min_occupation_training": "seed 003 §二(一)2",
        "org_min_evaluation_percent": "seed 003 §二(一)2",
        "org_shortage_occupations_only": "seed 003 §三(二)",
        "min_insured_employees": "seed 003 §一(二)",
        "min_enterprise_size": "seed 003 §一(一)",
        "excluded_scope_keywords": "seed 003 §一(一)",
        "min_workstations": "seed 003 §一(三)",
        "min_examiners": "seed 003 §一(六)",
        "examinee_categories": "seed 003 §四(一)",
        "dispatched_min_months": "seed 003 §四(一)2",
        "expert_checklist": "seed 003 §一(三)–(八)",
    },
)

SHANDONG = Preset(
    key="shandong",
    label=_("Shandong (seed 004)"),
    level=BureauLevel.PROVINCE,
    values={
        "min_insured_employees": 0,
        "min_enterprise_size": "none",
        "min_workstations": 0,
        "min_examiners": 0,
        "min_applicants": 0,
        "filing_open_all_year": True,
        "district_prereview": False,
        "required_materials": SHANDONG_MATERIALS,
        "examinee_categories": ["employee", "dispatched", "outsourced", "student", "entrusted"],
        "results_province_review": True,
        "removal_decided_by_province": True,
        # Filed with each party's own centre (the provincial one for a province-filed enterprise).
        "entrusted_agreement_approved_by_province": False,
    },
    sources={
        "min_enterprise_size": "seed 004 §一(一)",
        "filing_open_all_year": "seed 004 §二(一)",
        "district_prereview": "seed 004 §二(一)",
        "required_materials": "seed 004 §二(二), 附件2",
        "examinee_categories": "seed 004 §一(二)",
        "results_province_review": "seed 004 §三(三)",
        "removal_decided_by_province": "seed 004 §四(四)",
        "entrusted_agreement_approved_by_province": "seed 004 §一(二)",
    },
    # The cities set their clocks and thresholds; the routing stays the province's.
    delegated=(
        "min_insured_employees",
        "min_workstations",
        "min_examiners",
        "min_applicants",
        "review_working_days",
        "correction_working_days",
        "required_materials",
        "plan_lead_working_days",
        "min_plan_examiners",
        "dispatched_min_months",
        "publicity_working_days",
        "result_filing_working_days",
        "annual_report_due",
        # Seed 004 §二(二): the provincial and city centres evaluate; the notice names no items,
        # so each city may set its own checklist (none until it does).
        "expert_checklist",
        "random_draws",
    ),
    query_site=("全省职业技能等级证书信息查询系统", "http://www.sdosta.org.cn"),
    query_site_source="seed 004 §三(三)",
)

PRESETS: dict[str, Preset] = {p.key: p for p in (SHENZHEN, BEIJING, FOSHAN, SHANDONG)}


def presets_for(level: str) -> list[Preset]:
    return [preset for preset in PRESETS.values() if preset.level == level]


def source_of(bureau: Bureau, name: str) -> str:
    """Where the notice behind the bureau's preset states `name` ("" when it does not)."""
    policy = getattr(bureau, "policy", None)
    preset = PRESETS.get(policy.preset) if policy is not None else None
    return preset.sources.get(name, "") if preset else ""


@transaction.atomic
def apply_preset(bureau: Bureau, key: str):
    """Sets the bureau's policy to the preset's values (the windows it names added once);
    returns the policy now in force at the bureau."""
    from portal.core.models import ApplicationWindow, WindowRepeat
    from portal.core.policy import VALUE_NAMES, effective_policy

    preset = PRESETS[key]
    row, created = Policy.objects.select_for_update().get_or_create(bureau=bureau)
    for name in VALUE_NAMES:
        setattr(row, name, preset.values.get(name))
    row.preset = key
    row.delegated = list(preset.delegated) if preset.delegated is not None else None
    if not created:
        row.version += 1
    row.save()
    if preset.query_site is not None:
        bureau.query_site_name, bureau.query_site_url = preset.query_site
        bureau.save(update_fields=["query_site_name", "query_site_url"])
    for opens, closes, name in preset.yearly_windows:
        ApplicationWindow.objects.get_or_create(
            bureau=bureau,
            repeat=WindowRepeat.YEARLY,
            opens_on=f"2000-{opens}",
            closes_on=f"2000-{closes}",
            defaults={"name": name},
        )
    return effective_policy(bureau)
