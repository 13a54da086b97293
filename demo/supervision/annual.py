"""Demo data of the supervision area 'annual' (called by supervision/demo.py in order).

e2 has submitted this year's annual report, e11 has a draft (R-M4). e9 is banned by seed_demo
(a cancelled filing, R-M2) and shows on the public list of sanctions (R-M6).

No evaluation is decided: every demo filing is approved on the day the demo is loaded, so no
enterprise has been filed for a year or more at the end of last year (R-M3) and the evaluation
list of last year is rightly empty.
"""

from supervision.annual.services import annual_report_save
from supervision.models import AnnualReport


def seed(*, enterprises: dict, users: dict, today, ctx: dict) -> None:
    year = today.year
    if not AnnualReport.objects.filter(enterprise=enterprises["e2"], year=year).exists():
        annual_report_save(
            enterprise=enterprises["e2"],
            actor=users["enterprise2"],
            year=year,
            data={
                "summary": "上年度组织电子设备装接工、无线电调试工等级认定3批次，参评186人，"
                "通过162人，颁发证书162本；完善考评员管理制度，开展考评员培训2次。",
                "plan": "本年度计划开展电子设备装接工四级、三级认定4批次，"
                "新增工业机器人系统运维员职业申报。",
                "planned_examinees": 220,
            },
            expected_version=0,
            submit=True,
            today=today,
        )
    if not AnnualReport.objects.filter(enterprise=enterprises["e11"], year=year).exists():
        # e11 has no operator account in the demo: the draft is recorded without an author.
        owner = enterprises["e11"].members.select_related("user").first()
        annual_report_save(
            enterprise=enterprises["e11"],
            actor=owner.user if owner else None,
            year=year,
            data={
                "summary": "上年度组织养老护理员等级认定1批次。",
                "plan": "",
                "planned_examinees": None,
            },
            expected_version=0,
            submit=False,
            today=today,
        )
    ctx["annual"] = {"year": year}
