"""The demo beyond Shenzhen: one bureau and enterprise per seed jurisdiction, each with work in
flight that shows what its notice does differently (README, "Four jurisdictions").

- 广东省 (guangdong) above 深圳 and 佛山; 坪山区 (pingshan) runs its own window inside
  Shenzhen's and its own random draws (seed 000 §四, §五).
- 佛山市 (foshan): a filing refused for its size, corrected and submitted (seed 003 §一(一)).
- 北京市 (beijing, beijing2): a municipality; a 市属 filing evaluated by the centre's expert
  (beijing-expert) on the six items of §六(二), 91 in all, and waiting for a second officer's
  confirmation (seed 002 §四, §六(三)); windows every year to the end of May and of October
  (§五).
- 山东省 (shandong) and 泰安市 (taian): filing all year; a 省属 enterprise filing with the
  province (seed 004 §二(一)); Tai'an's result batch, reviewed by the city, waiting for the
  province (§三(三)).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from stdnum.cn import uscc

from demo.marks import opinion_marks
from demo.materials import add_materials, application_form_facts
from filings.filings import services as filing_services
from filings.filings.services import FILING_FACT_FIELDS
from filings.models import (
    Enterprise,
    EnterpriseStatus,
    Filing,
    FilingScopeLine,
    FilingStatus,
    Occupation,
    WorkType,
)
from filings.review import services as review_services
from portal.core import workdays
from portal.core.audit import audit_record
from portal.core.errors import ServiceError
from portal.core.models import ApplicationWindow, AuditOutcome, Bureau, Membership, Role
from portal.core.presets import apply_preset

User = get_user_model()

BUREAUS = (
    # code, name, area, level, parent, preset
    ("440310", "坪山区人力资源局", "坪山区", "district", "4403", None),
    ("4406", "佛山市人力资源和社会保障局", "佛山市", "city", "44", "foshan"),
    ("440606", "顺德区人力资源和社会保障局", "顺德区", "district", "4406", None),
    ("11", "北京市职业技能鉴定管理中心", "北京市", "city", None, "beijing"),
    ("110105", "朝阳区人力资源和社会保障局", "朝阳区", "district", "11", None),
    ("37", "山东省职业技能鉴定指导中心", "山东省", "province", None, "shandong"),
    ("3701", "济南市职业技能鉴定指导中心", "济南市", "city", "37", None),
    ("370102", "历下区人力资源和社会保障局", "历下区", "district", "3701", None),
    ("3709", "泰安市职业技能鉴定指导中心", "泰安市", "city", "37", None),
    ("370902", "泰山区人力资源和社会保障局", "泰山区", "district", "3709", None),
)

ENTERPRISES = {
    # key: (name, district, size, insured, extra)
    "ps": ("深圳市坪山新能源电池科技有限公司", "440310", "large", 860, {}),
    "ps2": ("深圳市坪山精密模具制造有限公司", "440310", "medium", 640, {}),
    "fs": ("佛山市顺德美达家用电器制造有限公司", "440606", "medium", 420, {}),
    "bj": (
        "北京城市轨道交通装备集团有限公司",
        "110105",
        "large",
        5200,
        {"administration_level": "city"},
    ),
    "sd": (
        "山东重型机械装备集团有限公司",
        "370102",
        "large",
        12000,
        {"administration_level": "province"},
    ),
    "ta": ("泰安泰山汽车零部件制造有限公司", "370902", "large", 1350, {}),
}

STAFF = (
    # username, role, bureau code, full name, admin
    ("guangdong", Role.PROVINCE, "44", "黄志明", True),
    ("pingshan", Role.DISTRICT, "440310", "邓丽华", True),
    ("foshan", Role.CITY, "4406", "梁永健", True),
    ("beijing", Role.CITY, "11", "王海燕", True),
    ("beijing2", Role.CITY, "11", "刘建军", False),
    ("beijing-expert", Role.EXPERT, "11", "张宏伟", False),
    ("shandong", Role.PROVINCE, "37", "孔德胜", True),
    ("taian", Role.CITY, "3709", "岳海涛", True),
    ("taian-expert", Role.EXPERT, "3709", "韩立新", False),
)


def credit_code(n: int, region: str) -> str:
    body = f"91{region}MA7{n:05d}"[:17]
    return body + uscc.calc_check_digit(body)


class Jurisdictions:
    def __init__(self, *, bureaus: dict, password: str, today: dt.date) -> None:
        self.bureaus = bureaus
        self.password = password
        self.today = today

    def seed(self) -> dict:
        self.seed_bureaus()
        self.seed_windows()
        self.users = self.seed_staff()
        self.enterprises = self.seed_enterprises()
        self.pingshan_filing()
        self.foshan_filing()
        self.beijing_filing()
        self.province_filing()
        self.taian_results()
        return {"users": self.users, "enterprises": self.enterprises}

    # Bureaus, policies, windows ---------------------------------------------------------------

    def seed_bureaus(self) -> None:
        for code, name, area, level, parent, preset in BUREAUS:
            defaults = {"name": name, "area": area, "level": level}
            if parent:
                defaults["parent"] = self.bureaus[parent]
            bureau, created = Bureau.objects.get_or_create(code=code, defaults=defaults)
            self.bureaus[code] = bureau
            if created and preset:
                apply_preset(bureau, preset)

    def seed_windows(self) -> None:
        # Seed 000 §四: Pingshan accepts applications in its own window inside Shenzhen's.
        ApplicationWindow.objects.get_or_create(
            bureau=self.bureaus["440310"],
            opens_on=self.today - dt.timedelta(days=21),
            closes_on=self.today + dt.timedelta(days=23),
            defaults={"name": "坪山区本期受理"},
        )
        # Seed 003 names no window: Foshan announces its own.
        ApplicationWindow.objects.get_or_create(
            bureau=self.bureaus["4406"],
            opens_on=self.today - dt.timedelta(days=45),
            closes_on=self.today + dt.timedelta(days=45),
            defaults={"name": "佛山市本期受理"},
        )

    def seed_staff(self) -> dict:
        users = {}
        for username, role, code, full_name, admin in STAFF:
            users[username] = self.member(
                username,
                role=role,
                bureau=self.bureaus[code],
                full_name=full_name,
                is_admin=admin,
            )
        return users

    def member(self, username: str, **membership) -> User:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(self.password)
            user.email = f"{username}@example.cn"
            user.save()
        Membership.objects.update_or_create(user=user, defaults=membership)
        return user

    def seed_enterprises(self) -> dict:
        enterprises = {}
        for n, (key, (name, code, _size, _insured, extra)) in enumerate(ENTERPRISES.items()):
            district = self.bureaus[code]
            enterprise, _ = Enterprise.objects.get_or_create(
                credit_code=credit_code(n + 1, code[:6].ljust(6, "0")),
                defaults={
                    "name": name,
                    "district": district,
                    "nature": "state" if key in ("bj", "sd") else "private",
                    "address": f"{district.parent.area if district.parent else ''}"
                    f"{district.area}工业大道{100 + n}号",
                    "legal_representative": "陈国栋",
                    "contact_name": "杨晓燕",
                    "contact_phone": f"1370013{n:04d}",
                    "contact_email": f"hr-{key}@example.cn",
                    "status": EnterpriseStatus.ACTIVE,
                    **extra,
                },
            )
            enterprises[key] = enterprise
            self.users[f"{key}-enterprise"] = self.member(
                f"{key}-enterprise",
                role=Role.ENTERPRISE,
                enterprise=enterprise,
                full_name="杨晓燕",
            )
        return enterprises

    # Filings ----------------------------------------------------------------------------------

    def draft(self, key: str, occupation: tuple[str, str | None, list[int]]) -> Filing:
        enterprise = self.enterprises[key]
        _name, _code, size, insured, _extra = ENTERPRISES[key]
        actor = self.users[f"{key}-enterprise"]
        filing = filing_services.filing_create(
            enterprise=enterprise,
            actor=actor,
            data={
                "independent_legal_person": True,
                "business_scope": "机械设备、零部件的研发、制造、销售及售后服务",
                "good_credit": True,
                "insured_employees": insured,
                "enterprise_size": size,
                "has_pay_linkage": True,
                "has_dedicated_staff": True,
                "situation": f"在岗职工{insured}人，技能人才占比六成以上。",
                "site_and_equipment": "实训考核车间1800平方米，设备齐全，全程视频监控。",
                "staff_and_examiners": "专职工作人员4人，考评人员12人。",
                **application_form_facts(enterprise),
            },
        )
        code, work_type, levels = occupation
        found = Occupation.objects.get(code=code)
        filing_services.filing_line_save(
            filing=filing,
            actor=actor,
            line=FilingScopeLine(
                occupation=found,
                work_type=WorkType.objects.get(occupation=found, name=work_type)
                if work_type
                else None,
                levels=levels,
                standard_type="national",
                workstations=20,
                examiners=6,
                applicants=120,
                related_to_main_business=True,
            ),
            expected_version=None,
        )
        add_materials(filing, actor, enterprise.district)
        return Filing.objects.get(pk=filing.pk)

    def submit(self, key: str, filing: Filing) -> Filing:
        return filing_services.filing_submit(filing=filing, actor=self.users[f"{key}-enterprise"])

    def pingshan_filing(self) -> None:
        """Seed 000 §四, §五: one Pingshan filing in Pingshan's window waits for its pre-review;
        another, filed, is there for Pingshan's own random draw."""
        self.submit("ps", self.draft("ps", ("6-31-01-03", None, [5, 4, 3])))
        filing = self.submit("ps2", self.draft("ps2", ("6-18-01-01", "数控车工", [5, 4])))
        filing = review_services.filing_district_forward(
            filing=filing, actor=self.users["pingshan"], opinion="材料齐全，同意报市级审核。"
        )
        city, expert = (User.objects.get(username=name) for name in ("city", "expert2"))
        filing = review_services.filing_assign_experts(filing=filing, actor=city, experts=[expert])
        assignment = filing.expert_assignments.get()
        review_services.filing_expert_opinion(
            assignment=assignment,
            actor=expert,
            visited_on=self.today,
            **opinion_marks(assignment, 84),
            recommendation="approve",
            opinion="场地设备和考评人员符合要求，建议备案。",
        )
        review_services.filing_approve(
            filing=Filing.objects.get(pk=filing.pk), actor=city, note="同意备案。"
        )

    def foshan_filing(self) -> None:
        """Seed 003 §一(一): declared small, the filing is refused; declared medium, it goes."""
        filing = self.draft("fs", ("6-18-01-01", "数控车工", [5, 4]))
        actor = self.users["fs-enterprise"]
        Filing.objects.filter(pk=filing.pk).update(enterprise_size="small")
        filing.refresh_from_db()
        try:
            self.submit("fs", filing)
        except ServiceError as refused:
            audit_record(
                obj=filing,
                actor=actor,
                action="action_refused",
                note="；".join(problem.message for problem in refused.problems),
                outcome=AuditOutcome.REFUSED,
            )
        filing.refresh_from_db()
        data = {field: getattr(filing, field) for field in FILING_FACT_FIELDS}
        filing = filing_services.filing_update(
            filing=filing,
            actor=actor,
            data={**data, "enterprise_size": "medium"},
            expected_version=filing.version,
        )
        self.submit("fs", filing)

    def beijing_filing(self) -> None:
        """Seed 002 §四, §六(三): submitted in October's window, evaluated by the centre's expert,
        proposed for approval by `beijing`, waiting for `beijing2` to confirm."""
        filing = self.draft("bj", ("6-31-01-03", None, [5, 4, 3, 2]))
        received = dt.date(self.today.year, 10, 20)
        if received > self.today:
            received = received.replace(year=received.year - 1)
        try:
            due = workdays.add_working_days(received, 20)
        except workdays.CalendarMissing:
            due = None
        self.force_received(filing, received, due)
        filing = review_services.filing_assign_experts(
            filing=Filing.objects.get(pk=filing.pk),
            actor=self.users["beijing"],
            experts=[self.users["beijing-expert"]],
        )
        review_services.filing_expert_opinion(
            assignment=filing.expert_assignments.get(),
            actor=self.users["beijing-expert"],
            visited_on=received + dt.timedelta(days=14),
            recommendation="approve",
            opinion="六项评估内容均符合要求，建议备案。",
            # Seed 002 §六(二): the six items of the Beijing preset's checklist, 91 in all.
            item_scores=[
                {"score": score, "note": note}
                for score, note in (
                    (14, "市属国有企业，依法注册，信用良好。"),
                    (18, "有技能人才队伍建设规划，等级与薪酬挂钩。"),
                    (13, "年度职工教育经费足额提取，认定工作单列预算。"),
                    (18, "设技能评价中心，专家库42人，质量内控人员3名。"),
                    (19, "实训基地两处，工位充足，设备完好。"),
                    (9, "考场视频监控全覆盖，认定数据接入管理系统。"),
                )
            ],
        )
        review_services.filing_approve(
            filing=Filing.objects.get(pk=filing.pk),
            actor=self.users["beijing"],
            note="经专家评估，拟同意备案，报请确认。",
        )

    def force_received(self, filing: Filing, received: dt.date, due) -> None:
        """The filing as submitted on `received` (outside today's window, inside its own)."""
        submitted = dt.datetime.combine(received, dt.time(10), tzinfo=dt.UTC)
        operator = self.users["bj-enterprise"]
        Filing.objects.filter(pk=filing.pk).update(
            status=FilingStatus.CITY_REVIEW,
            submitted_at=submitted,
            received_on=received,
            due_on=due,
            pledge_signatory=filing.enterprise.legal_representative,
            pledged_by=operator,
            pledged_at=submitted,
        )
        audit_record(
            obj=filing,
            actor=operator,
            action="submit",
            from_status=FilingStatus.DRAFT,
            to_status=FilingStatus.CITY_REVIEW,
        )

    def province_filing(self) -> None:
        """Seed 004 §二(一): a 省属 enterprise files with the provincial centre, any day."""
        self.submit("sd", self.draft("sd", ("4-10-01-05", None, [5, 4, 3])))

    def taian_results(self) -> None:
        """Seed 004 §三(三): Tai'an approved the filing, the scheme and the plan; the results,
        reviewed by Tai'an, wait for the provincial centre."""
        from demo.assessments import seed_province_review_batch

        filing = self.submit("ta", self.draft("ta", ("6-18-01-01", "数控车工", [5, 4, 3])))
        filing = review_services.filing_assign_experts(
            filing=filing, actor=self.users["taian"], experts=[self.users["taian-expert"]]
        )
        review_services.filing_expert_opinion(
            assignment=filing.expert_assignments.get(),
            actor=self.users["taian-expert"],
            visited_on=self.today,
            score=86,
            recommendation="approve",
            opinion="场地设备和考评人员符合要求，建议备案。",
        )
        review_services.filing_approve(
            filing=Filing.objects.get(pk=filing.pk), actor=self.users["taian"], note="同意备案。"
        )
        seed_province_review_batch(
            enterprise=self.enterprises["ta"],
            operator=self.users["ta-enterprise"],
            reviewer=self.users["taian"],
            expert=self.users["taian-expert"],
            today=self.today,
        )


def seed_jurisdictions(*, bureaus: dict, password: str, today: dt.date) -> dict:
    return Jurisdictions(bureaus=bureaus, password=password, today=today).seed()
