"""Demo data at every lifecycle stage the code supports; safe to run again (idempotent)."""

import datetime as dt
import os
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone, translation
from stdnum.cn import uscc

from demo.agreements import demo_agreement_line
from demo.assessments import demo_draft_plan_line, seed_assessments
from demo.certificates import demo_certificate_line, demo_signing_lines, seed_certificates
from demo.jurisdictions import seed_jurisdictions
from demo.marks import opinion_marks
from demo.materials import add_materials, application_form_facts
from demo.social_org import seed_social_org, social_org_line
from demo.supervision import demo_supervision_lines, seed_supervision
from filings.filings import services as filing_services
from filings.models import (
    Enterprise,
    EnterpriseStatus,
    Filing,
    FilingScopeLine,
    FilingStatus,
    Occupation,
    WorkType,
)
from filings.occupations import import_occupations_csv
from filings.review import services as review_services
from portal.core import workdays
from portal.core.models import ApplicationWindow, Bureau, Membership, Role
from portal.core.presets import apply_preset
from supervision.models import Sanction, SanctionKind

User = get_user_model()
DEFAULT_PASSWORD = "Demo-2026-portal"
OCCUPATIONS_CSV = Path(settings.BASE_DIR) / "filings" / "data" / "occupations-sample.csv"

ENTERPRISES = [
    # key, name, district, stage, extra
    # Filed for 车工 and filing again to add 电工 (R-F9): a complete draft ready to submit.
    ("e1", "深圳市南山精密机械制造有限公司", "440305", "refiling", {}),
    ("e2", "深圳市福田电子科技股份有限公司", "440304", "approved", {}),
    ("e3", "深圳市南山智能装备有限公司", "440305", "district_review", {}),
    ("e4", "深圳市福田医疗器械集团有限公司", "440304", "city_review", {}),
    ("e5", "深圳市南山新能源汽车零部件有限公司", "440305", "expert_review", {}),
    ("e6", "深圳市福田中央厨房餐饮管理有限公司", "440304", "returned", {}),
    ("e7", "深圳市南山远航物流有限公司", "440305", "rejected", {}),
    ("e8", "深圳市南山启明职业培训咨询有限公司", "440305", "pending", {}),
    ("e9", "深圳市福田宏达建材有限公司", "440304", "banned", {}),
    (
        "e10",
        "深圳市地铁运营集团有限公司城市轨道交通运营维护技术服务分公司",
        "440304",
        "approved",
        {"administration_level": "city", "on_pilot_list": True},
    ),
    ("e11", "深圳市南山颐康养老服务有限公司", "440305", "approved", {}),
]


def credit_code(n: int) -> str:
    body = f"91440300MA5{n:06d}"
    return body + uscc.calc_check_digit(body)


class Command(BaseCommand):
    help = "Load the demo: bureaus, occupations, users and filings at every stage."

    def handle(self, *args, **options) -> None:
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_PASSWORD)
        # Stored texts (material names, history notes) read as a Chinese user wrote them.
        translation.activate(settings.LANGUAGE_CODE)
        with transaction.atomic():
            created = self.seed(password)
        if created:
            self.stdout.write(self.style.SUCCESS("demo data loaded"))
            self.stdout.write(
                f"sample rosters to import: {settings.VAR_DIR / 'demo' / 'roster-clean.xlsx'} and "
                f"{settings.VAR_DIR / 'demo' / 'roster-with-mistakes.xlsx'}"
            )
        else:
            self.stdout.write("demo data already present; nothing changed")
        lines = (
            demo_draft_plan_line(),
            demo_certificate_line(),
            social_org_line(),
            demo_agreement_line(),
        )
        for line in lines:
            if line:
                self.stdout.write(line)
        for line in demo_supervision_lines():
            self.stdout.write(line)
        for line in demo_signing_lines():
            self.stdout.write(line)
        self.list_users()

    def list_users(self) -> None:
        """Every demo user, with their role and where they work, and the password to use."""
        if "DEMO_PASSWORD" in os.environ:
            self.stdout.write("demo users (password: the DEMO_PASSWORD you set):")
        else:
            self.stdout.write(
                f"demo users (password {DEFAULT_PASSWORD}; set DEMO_PASSWORD to change it):"
            )
        members = Membership.objects.select_related("user", "bureau", "enterprise").order_by(
            "role", "bureau__code", "enterprise__name", "user__username"
        )
        for member in members:
            place = member.enterprise or member.bureau
            admin = " (admin)" if member.is_admin else ""
            self.stdout.write(
                f"  {member.user.username:<14} {member.get_role_display()}{admin} · {place or '-'}"
            )
        superusers = User.objects.filter(is_superuser=True, membership__isnull=True)
        for user in superusers.order_by("username"):
            self.stdout.write(f"  {user.username:<14} Django superuser · /django-admin/")

    # ------------------------------------------------------------------------------------------

    def seed(self, password: str) -> bool:
        if (
            Bureau.objects.filter(code="4403").exists()
            and User.objects.filter(username="enterprise1").exists()
        ):
            return False
        self.today = timezone.localdate()
        self.bureaus = self.seed_bureaus()
        import_occupations_csv(OCCUPATIONS_CSV.read_text(encoding="utf-8"))
        self.seed_policy()
        self.enterprises = {
            key: self.seed_enterprise(n, key, name, district, extra)
            for n, (key, name, district, _stage, extra) in enumerate(ENTERPRISES, start=1)
        }
        self.users = self.seed_users(password)
        for key, _name, _district, stage, _extra in ENTERPRISES:
            getattr(self, f"stage_{stage}")(self.enterprises[key])
        self.make_overdue(self.enterprises["e4"])
        assessments = seed_assessments(
            enterprises=self.enterprises, users=self.users, today=self.today
        )
        seed_certificates(
            enterprises=self.enterprises,
            users=self.users,
            today=self.today,
            approved_plan=assessments["approved_plan"],
        )
        seed_supervision(enterprises=self.enterprises, users=self.users, today=self.today)
        seed_jurisdictions(bureaus=self.bureaus, password=password, today=self.today)
        seed_social_org(password=password, today=self.today)
        return True

    def seed_bureaus(self) -> dict[str, Bureau]:
        bureaus = {}
        for code, name, area, level, parent in (
            ("44", "广东省人力资源和社会保障厅", "广东省", "province", None),
            ("4403", "深圳市职业技能鉴定指导中心", "深圳市", "city", "44"),
            ("440305", "南山区人力资源局", "南山区", "district", "4403"),
            ("440304", "福田区人力资源局", "福田区", "district", "4403"),
        ):
            defaults = {"name": name, "area": area, "level": level}
            if parent:
                defaults["parent"] = bureaus[parent]
            bureaus[code], _ = Bureau.objects.get_or_create(code=code, defaults=defaults)
        return bureaus

    def seed_policy(self) -> None:
        city = self.bureaus["4403"]
        if not hasattr(city, "policy"):
            apply_preset(city, "shenzhen")
        # R-F4: a window open now and the next one announced.
        ApplicationWindow.objects.get_or_create(
            bureau=city,
            opens_on=self.today - dt.timedelta(days=30),
            closes_on=self.today + dt.timedelta(days=60),
            defaults={"name": "本期受理"},
        )
        ApplicationWindow.objects.get_or_create(
            bureau=city,
            opens_on=self.today + dt.timedelta(days=180),
            closes_on=self.today + dt.timedelta(days=240),
            defaults={"name": "下期受理"},
        )

    def seed_enterprise(self, n: int, key: str, name: str, district: str, extra) -> Enterprise:
        enterprise, _ = Enterprise.objects.get_or_create(
            credit_code=credit_code(n),
            defaults={
                "name": name,
                "district": self.bureaus[district],
                "nature": "private",
                "address": f"深圳市{self.bureaus[district].area}科技园{n}号",
                "legal_representative": "王建国",
                "contact_name": "李晓梅",
                "contact_phone": f"1380013{n:04d}",
                "contact_email": f"hr{n}@example.cn",
                "status": EnterpriseStatus.ACTIVE,
                **extra,
            },
        )
        return enterprise

    def member(self, username, role, password, *, bureau=None, enterprise=None, **extra):
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(password)
            user.email = f"{username}@example.cn"
            user.save()
        Membership.objects.update_or_create(
            user=user,
            defaults={"role": role, "bureau": bureau, "enterprise": enterprise, **extra},
        )
        return user

    def seed_users(self, password: str) -> dict:
        b, e = self.bureaus, self.enterprises
        users = {}
        for username, role, where, full_name in (
            ("enterprise1", Role.ENTERPRISE, e["e1"], "李晓梅"),
            ("enterprise2", Role.ENTERPRISE, e["e2"], "陈志强"),
            ("district1", Role.DISTRICT, b["440305"], "赵敏"),
            ("district2", Role.DISTRICT, b["440304"], "孙磊"),
            ("city", Role.CITY, b["4403"], "周静"),
            ("expert", Role.EXPERT, b["4403"], "吴国华"),
            ("expert2", Role.EXPERT, b["4403"], "郑丽"),
            ("supervisor", Role.SUPERVISOR, b["4403"], "何涛"),
        ):
            scope = {"enterprise": where} if role == Role.ENTERPRISE else {"bureau": where}
            if role == Role.CITY:
                scope["is_admin"] = True  # the city account also administers the city's settings
            users[username] = self.member(username, role, password, full_name=full_name, **scope)
        # Operators for the other demo enterprises, so their history names a person.
        for key, enterprise in e.items():
            if key not in ("e1", "e2"):
                users[key] = self.member(
                    f"operator-{key}",
                    Role.ENTERPRISE,
                    password,
                    enterprise=enterprise,
                    full_name=enterprise.contact_name,
                )
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        if created:
            admin.set_password(password)
            admin.save()
        return users

    # Filing stages ----------------------------------------------------------------------------

    def operator(self, enterprise):
        return User.objects.filter(membership__enterprise=enterprise).order_by("pk").first()

    def district_reviewer(self, enterprise):
        return self.users["district1" if enterprise.district.code == "440305" else "district2"]

    def stage_refiling(self, enterprise) -> Filing:
        self.stage_approved(enterprise, occupations=[("6-18-01-01", "数控车工", [5, 4, 3])])
        return self.stage_draft(enterprise, occupations=[("6-31-01-03", None, [5, 4, 3, 2])])

    def stage_draft(self, enterprise, occupations=None) -> Filing:
        actor = self.operator(enterprise)
        filing = filing_services.filing_create(
            enterprise=enterprise,
            actor=actor,
            data={
                "independent_legal_person": True,
                "business_scope": "数控机床、精密零部件、自动化设备的研发、生产和销售",
                "good_credit": True,
                "insured_employees": 1260,
                "enterprise_size": "large",
                "has_pay_linkage": True,
                "has_dedicated_staff": True,
                "situation": "在岗职工1500人，其中技能人才1100人；职工教育经费按工资总额2.5%提取。",
                "site_and_equipment": "实训考核车间2400平方米，数控车床40台，全程视频监控。",
                "staff_and_examiners": "专职工作人员6人，考评人员24人（其中高级考评员8人）。",
                **application_form_facts(enterprise),
            },
        )
        self.add_lines(filing, actor, occupations)
        self.add_materials(filing, actor)
        return filing

    def add_lines(self, filing, actor, occupations=None) -> None:
        occupation_rows = occupations or {
            "e11": [("4-10-01-05", None, [5, 4, 3])],
            "e6": [("4-03-02-01", None, [5, 4])],
            # R-S4: 车工 up to 一级, so the scheme can map 特级技师 above it.
            "e2": [("6-18-01-01", "数控车工", [5, 4, 3, 2, 1]), ("6-31-01-03", None, [5, 4, 3, 2])],
        }.get(
            next(k for k, v in self.enterprises.items() if v.pk == filing.enterprise_id),
            [("6-18-01-01", "数控车工", [5, 4, 3]), ("6-31-01-03", None, [5, 4, 3, 2])],
        )
        for code, work_type, levels in occupation_rows:
            occupation = Occupation.objects.get(code=code)
            line = FilingScopeLine(
                occupation=occupation,
                work_type=WorkType.objects.get(occupation=occupation, name=work_type)
                if work_type
                else None,
                levels=levels,
                standard_type="national",
                workstations=24,
                examiners=6,
                applicants=180,
                related_to_main_business=True,
            )
            filing_services.filing_line_save(
                filing=filing, actor=actor, line=line, expected_version=None
            )

    def add_materials(self, filing, actor) -> None:
        add_materials(filing, actor, self.bureaus["4403"])

    def stage_district_review(self, enterprise, occupations=None) -> Filing:
        filing = self.stage_draft(enterprise, occupations)
        return filing_services.filing_submit(filing=filing, actor=self.operator(enterprise))

    def stage_city_review(self, enterprise, occupations=None) -> Filing:
        filing = self.stage_district_review(enterprise, occupations)
        if filing.status == FilingStatus.DISTRICT_REVIEW:
            filing = review_services.filing_district_forward(
                filing=filing,
                actor=self.district_reviewer(enterprise),
                opinion="材料齐全，企业符合备案条件，同意报市级审核。",
            )
        return filing

    def stage_expert_review(self, enterprise) -> Filing:
        filing = self.stage_city_review(enterprise)
        return review_services.filing_assign_experts(
            filing=filing, actor=self.users["city"], experts=[self.users["expert"]]
        )

    def expert_opinion(self, filing, expert: str, score: int, recommendation: str, opinion: str):
        """The on-site opinion of the filing's one assigned expert, visited today."""
        assignment = filing.expert_assignments.get()
        review_services.filing_expert_opinion(
            assignment=assignment,
            actor=self.users[expert],
            visited_on=self.today,
            recommendation=recommendation,
            opinion=opinion,
            **opinion_marks(assignment, score),
        )

    def stage_approved(self, enterprise, occupations=None) -> Filing:
        filing = self.stage_city_review(enterprise, occupations)
        if not filing.skip_onsite:
            filing = review_services.filing_assign_experts(
                filing=filing, actor=self.users["city"], experts=[self.users["expert2"]]
            )
            self.expert_opinion(
                filing, "expert2", 88, "approve", "场地设备、考评人员和制度建设符合要求，建议备案。"
            )
        return review_services.filing_approve(
            filing=filing, actor=self.users["city"], note="经审核和专家现场评估，同意备案。"
        )

    def stage_returned(self, enterprise) -> Filing:
        filing = self.stage_city_review(enterprise)
        return review_services.filing_return(
            filing=filing,
            actor=self.users["city"],
            reason="考评人员清单缺少职业资格证明，请补充后重新提交。",
        )

    def stage_rejected(self, enterprise) -> Filing:
        filing = self.stage_expert_review(enterprise)
        self.expert_opinion(filing, "expert", 52, "reject", "考核场地与申报不符，无视频监控设备。")
        return review_services.filing_reject(
            filing=filing, actor=self.users["city"], reason="现场评估未通过：考核场地与申报不符。"
        )

    def stage_pending(self, enterprise) -> None:
        Enterprise.objects.filter(pk=enterprise.pk).update(status=EnterpriseStatus.PENDING)

    def stage_banned(self, enterprise) -> None:
        # R-M2: fraud → filing cancelled, no new filing for 5 years.
        decided = self.today - dt.timedelta(days=200)
        Sanction.objects.get_or_create(
            enterprise=enterprise,
            kind=SanctionKind.CANCELLED,
            defaults={
                "decided_on": decided,
                "ban_until": decided.replace(year=decided.year + 5),
                "reason": "组织考生替考，弄虚作假",
                "decided_by": self.users["city"],
            },
        )

    def make_overdue(self, enterprise) -> None:
        """Move e4's receipt back in time so the 20-working-day clock shows it overdue."""
        filing = enterprise.filings.get()
        received = self.today - dt.timedelta(days=40)
        try:
            due = workdays.add_working_days(received, 20)
        except workdays.CalendarMissing:
            due = None
        Filing.objects.filter(pk=filing.pk).update(received_on=received, due_on=due)
