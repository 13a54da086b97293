"""seed_scale: a city the size of Shenzhen's, on top of (or without) the demo.

10,000 enterprises by default, across every district of the demo city (深圳市, 4403), weighted
as enterprises are spread there; each with an operator account and most with a filing, in every
status the portal knows (drafts, each review stage, returned, rejected, filed, and filings ended
by a sanction). Behind the 1,000,000 certificates stands what production would have written:
filed occupations (scope lines) with approved schemes, implementation plans acknowledged by the
city with their sessions and rosters (passed and failed examinees), approved result batches,
issue batches, numbering prefixes and the serial counters (R-K2), so that the next certificate
an enterprise issues continues its numbering. Some plans are still under way at every stage, a
few certificates are revoked or replaced, and every transition leaves its audit row.

Not generated (their volume does not change the pages measured): component scores (the
roster rows carry their totals and results), examiner registers, session evidence, inspections
and complaints. Working-day periods are counted in weekdays (the holiday calendar covers only
the years a city admin loaded).

The numbers are real in form: credit codes pass GB 32100, ID numbers GB 11643 (18 characters,
birth date, sex digit, check character) and are unique, certificate numbers follow R-K2. The
random generator is seeded, so the same sizes give the same data (the encrypted columns differ:
every encryption has a fresh nonce).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from guardian.models import UserObjectPermission

from assessments.models import (
    EvaluationScheme,
    ResultBatch,
    RosterEntry,
    SchemeComponent,
)
from certificates.models import Certificate
from filings.models import (
    Enterprise,
    ExpertAssignment,
    Filing,
    FilingScopeLine,
    FilingStatus,
    Occupation,
)
from filings.occupations import import_occupations_csv
from portal.core.counters import allocate
from portal.core.models import AuditEvent, Bureau, CityPolicy, Counter, Membership
from portal.core.scale.facts import (
    CITY,
    CITY_ADMINISTERED_SHARE,
    DECIDED,
    DISTRICTS,
    FILING_MIX,
    FORMS,
    GIVEN,
    ID_SPACE,
    INDUSTRIES,
    MOBILE_PREFIXES,
    OCCUPATIONS_CSV,
    PILOT_SHARE,
    PROVINCE,
    REFILING_SHARE,
    SCOPES,
    STREETS,
    SURNAMES,
    SYLLABLES,
    Ent,
    add_weekdays,
    credit_code,
)
from portal.core.scale.issuing import Issuing
from portal.core.scale.writer import BulkWriter, indexes_built_after
from supervision.models import Sanction
from supervision.sanctions.services import ban_end

User = get_user_model()

MARK_ENTERPRISES = "seed-scale:enterprises"
MARK_CERTIFICATES = "seed-scale:certificates"


def loaded_size() -> tuple[int, int] | None:
    """(enterprises, certificates) of the scale data in the database, None when there is none."""
    marks = dict(
        Counter.objects.filter(key__in=[MARK_ENTERPRISES, MARK_CERTIFICATES]).values_list(
            "key", "value"
        )
    )
    if not marks:
        return None
    return marks.get(MARK_ENTERPRISES, 0), marks.get(MARK_CERTIFICATES, 0)


@dataclass
class Outcome:
    enterprises: int
    certificates: int
    rows: dict[str, int]
    seconds: float


def load(
    *, enterprises: int, certificates: int, seed: int = 20260615, say: Callable = print
) -> Outcome:
    """Load the scale data in one transaction (all or nothing)."""
    started = time.perf_counter()
    with transaction.atomic():
        seeder = Seeder(enterprises=enterprises, certificates=certificates, seed=seed, say=say)
        seeder.run()
    rows = dict(seeder.writer.inserted)
    return Outcome(enterprises, certificates, rows, time.perf_counter() - started)


class Seeder(Issuing):
    def __init__(self, *, enterprises: int, certificates: int, seed: int, say: Callable):
        self.size = enterprises
        self.certificates = certificates
        self.rng = random.Random(seed)
        self.id_offset = seed % ID_SPACE
        self.people = 0
        self.say = say
        self.writer = BulkWriter()
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.clock = time.perf_counter()

    def step(self, text: str) -> None:
        now = time.perf_counter()
        self.say(f"  {text} ({now - self.clock:.1f} s)")
        self.clock = now

    def at(self, day: dt.date, hour: int | None = None) -> dt.datetime:
        hour = self.rng.randint(8, 18) if hour is None else hour
        minute = self.rng.randrange(60)
        return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=self.tz)

    def days_ago(self, low: int, high: int) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(low, high))

    def person(self) -> str:
        rng = self.rng
        return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))

    def phone(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def audit(self, obj_type: int, obj_id: int, actor: int | None, when, action, frm="", to=""):
        self.writer.add(
            AuditEvent,
            content_type_id=obj_type,
            object_id=obj_id,
            actor_id=actor,
            at=when,
            action=action,
            from_status=frm,
            to_status=to,
            note="",
        )

    # ------------------------------------------------------------------------------------------

    def run(self) -> None:
        Counter.objects.create(key=MARK_ENTERPRISES, value=self.size)
        Counter.objects.create(key=MARK_CERTIFICATES, value=self.certificates)
        self.base()
        self.step("bureaus, occupations, reviewers")
        ents = self.enterprises()
        self.step(f"{len(ents)} enterprises and their operators")
        self.filings(ents)
        self.step("filings, scope lines, schemes, sanctions, expert assignments")
        with indexes_built_after(RosterEntry, Certificate):
            self.issue(ents)
            self.in_progress(ents)
            self.writer.flush()
            self.step("certificates and rosters loaded")
        self.step(
            f"their indexes and foreign keys: {self.issued} certificates, "
            f"{self.writer.inserted['assessments.RosterEntry']} roster entries, "
            f"{self.writer.inserted['assessments.ImplementationPlan']} plans"
        )
        self.counters(ents)
        self.writer.flush()
        self.step("numbering counters")

    def base(self) -> None:
        code, name, area = PROVINCE
        province, _ = Bureau.objects.get_or_create(
            code=code, defaults={"name": name, "area": area, "level": "province"}
        )
        code, name, area = CITY
        self.city, _ = Bureau.objects.get_or_create(
            code=code, defaults={"name": name, "area": area, "level": "city", "parent": province}
        )
        self.policy, _ = CityPolicy.objects.get_or_create(city=self.city)
        self.districts = []
        for code, area, weight in DISTRICTS:
            bureau, _ = Bureau.objects.get_or_create(
                code=code,
                defaults={
                    "name": f"{area}人力资源局",
                    "area": area,
                    "level": "district",
                    "parent": self.city,
                },
            )
            self.districts.append((bureau, weight))
        if not Occupation.objects.exists():
            import_occupations_csv(OCCUPATIONS_CSV.read_text(encoding="utf-8"))
        self.occupations = [
            (occupation, [None, *occupation.work_types.all()])
            for occupation in Occupation.objects.filter(kind="skill", access_type=False)
        ]
        self.ct = {
            model: ContentType.objects.get_for_model(model).pk
            for model in (Filing, ResultBatch, Certificate, Sanction)
        }
        self.evaluate_filing = Permission.objects.get(
            codename="evaluate_filing", content_type__app_label="filings"
        ).pk
        self.reviewer_city = self.staff("scale-city", "city", self.city)
        self.reviewer_district = {
            bureau.pk: self.staff(f"scale-district-{bureau.code}", "district", bureau)
            for bureau, _ in self.districts
        }
        self.experts = [self.staff(f"scale-expert-{n:02d}", "expert", self.city) for n in range(12)]

    def staff(self, username: str, role: str, bureau: Bureau) -> int:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.cn"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            user=user, defaults={"role": role, "bureau": bureau, "full_name": self.person()}
        )
        return user.pk

    # Enterprises ------------------------------------------------------------------------------

    def enterprises(self) -> list[Ent]:
        rng = self.rng
        bureaus = [bureau for bureau, _ in self.districts]
        weights = [weight for _, weight in self.districts]
        pairs = [a + b for a in SYLLABLES for b in SYLLABLES if a != b]
        combos = len(pairs) * len(INDUSTRIES) * len(FORMS)
        ents = []
        for index in range(1, self.size + 1):
            district = rng.choices(bureaus, weights)[0]
            j = (index * 7919) % combos
            j, form = divmod(j, len(FORMS))
            pair, industry = divmod(j, len(INDUSTRIES))
            name = f"深圳市{pairs[pair]}{INDUSTRIES[industry]}{FORMS[form]}"
            if index > combos:
                name += f"{district.area}分公司"
            roll = rng.random()
            status = "pending" if roll < 0.02 else "disabled" if roll < 0.03 else "active"
            city_administered = rng.random() < CITY_ADMINISTERED_SHARE
            pilot = rng.random() < PILOT_SHARE
            created = self.at(self.days_ago(60, 2200))
            contact = self.person()
            user = self.writer.add(
                User,
                password="!",  # unusable: the operators of the scale data do not log in
                last_login=None,
                is_superuser=False,
                username=f"scale-op-{index:05d}",
                first_name="",
                last_name="",
                email=f"hr{index}@scale.example.cn",
                is_staff=False,
                is_active=status != "disabled",
                date_joined=created,
            )
            pk = self.writer.add(
                Enterprise,
                name=name,
                credit_code=credit_code(index),
                kind="Y",
                nature=rng.choice(["private", "private", "private", "state", "foreign", "mixed"]),
                district_id=district.pk,
                city_administered=city_administered,
                on_pilot_list=pilot,
                address=f"深圳市{district.area}{rng.choice(STREETS)}{rng.randint(1, 999)}号",
                legal_representative=self.person(),
                contact_name=contact,
                contact_phone=self.phone(),
                contact_email=f"hr{index}@scale.example.cn",
                status=status,
                created_at=created,
                activated_at=None if status == "pending" else created + dt.timedelta(days=2),
            )
            self.writer.add(
                Membership,
                user_id=user,
                role="enterprise",
                bureau_id=None,
                enterprise_id=pk,
                is_admin=False,
                full_name=contact,
                phone=self.phone(),
            )
            ents.append(
                Ent(
                    pk=pk,
                    index=index,
                    name=name,
                    district=district,
                    operator=user,
                    status=status,
                    city_administered=city_administered,
                    pilot=pilot,
                    created=created,
                )
            )
        return ents

    # Filings ----------------------------------------------------------------------------------

    def filings(self, ents: list[Ent]) -> None:
        rng = self.rng
        statuses = [status for status, _ in FILING_MIX]
        weights = [weight for _, weight in FILING_MIX]
        planned = []
        # The first active enterprises take one status each: every status is there, whatever
        # the size.
        every = [status for status in statuses if status is not None]
        for ent in ents:
            if ent.status == "pending":
                continue
            status = rng.choices(statuses, weights)[0]
            if every and ent.status == "active" and not ent.city_administered:
                status = every.pop()
            if ent.status == "disabled":
                status = FilingStatus.REMOVED
            if status is None:
                continue
            if ent.city_administered and status == FilingStatus.DISTRICT_REVIEW:
                status = FilingStatus.CITY_REVIEW  # R-F5: files to the city directly
            planned.append((ent, status, False))
            if status == FilingStatus.APPROVED and rng.random() < REFILING_SHARE:
                refiling = rng.choice(
                    [FilingStatus.DRAFT, FilingStatus.DISTRICT_REVIEW, FilingStatus.CITY_REVIEW]
                )
                planned.append((ent, refiling, True))
        timelines = [self.timeline(status, refiling) for _ent, status, refiling in planned]
        # Filing numbers from the city's yearly counter, as filing_approve allocates them.
        years: dict[int, int] = {}
        for (_ent, status, _refiling), times in zip(planned, timelines, strict=True):
            if status in DECIDED:
                years[times["approved_on"].year] = years.get(times["approved_on"].year, 0) + 1
        serials = {
            year: allocate(f"filing-number:{self.city.code}:{year}", count)
            for year, count in sorted(years.items())
        }
        for (ent, status, refiling), times in zip(planned, timelines, strict=True):
            number = None
            if status in DECIDED:
                year = times["approved_on"].year
                number = f"{self.city.code}{year}{serials[year]:04d}"
                serials[year] += 1
            self.filing(ent, status, times, number, refiling)

    def timeline(self, status: str, refiling: bool) -> dict:
        """The days of a filing's steps, consistent with its status and today."""
        rng = self.rng
        t: dict = {}
        if status == FilingStatus.DRAFT:
            t["created"] = self.days_ago(0, 60)
            return t
        if status == FilingStatus.DISTRICT_REVIEW:
            t["submitted"] = self.days_ago(0, 15)
        elif status in (FilingStatus.CITY_REVIEW, FilingStatus.EXPERT_REVIEW):
            t["received"] = self.days_ago(0, 30)
        elif status == FilingStatus.RETURNED:
            t["returned_on"] = self.days_ago(0, 12)
            t["received"] = t["returned_on"] - dt.timedelta(days=rng.randint(5, 18))
        elif status == FilingStatus.REJECTED:
            t["decided"] = self.days_ago(10, 1200)
            t["received"] = t["decided"] - dt.timedelta(days=rng.randint(10, 27))
        else:  # approved, removed, cancelled: filed first
            low = 40 if status == FilingStatus.APPROVED else 400
            t["approved_on"] = self.days_ago(low, 1400)
            t["received"] = t["approved_on"] - dt.timedelta(days=rng.randint(10, 27))
            if status != FilingStatus.APPROVED:
                # Ended by a sanction while the filing was valid.
                span = min((self.today - t["approved_on"]).days, 365 * 3 - 1)
                t["ended"] = t["approved_on"] + dt.timedelta(days=rng.randint(200, span))
        if "received" in t:
            t["submitted"] = t["received"] - dt.timedelta(days=rng.randint(2, 8))
            t["due_on"] = add_weekdays(t["received"], self.policy.review_working_days)
        t["created"] = t["submitted"] - dt.timedelta(days=rng.randint(3, 30))
        return t

    def filing(self, ent: Ent, status: str, t: dict, number: str | None, refiling: bool):
        rng, w = self.rng, self.writer
        operator, city = ent.operator, self.reviewer_city
        district = self.reviewer_district[ent.district.pk]
        approved_on = t.get("approved_on")
        valid_until = None
        if approved_on:
            years = self.policy.filing_validity_years
            valid_until = ban_end(approved_on, years) - dt.timedelta(days=1)  # 29 Feb safe
        decided_day = t.get("decided") or approved_on or t.get("returned_on")
        last = t.get("ended") or decided_day or t.get("received") or t.get("submitted")
        last = last or t["created"]
        skip_onsite = ent.pilot
        pk = w.new_id(Filing)
        lines = self.scope_lines(pk, refiling)
        notes = {
            FilingStatus.RETURNED: "考评人员清单缺少职业资格证明，请补充后重新提交。",
            FilingStatus.REJECTED: "现场评估未通过：考核场地与申报不符。",
        }
        w.add(
            Filing,
            id=pk,
            enterprise_id=ent.pk,
            district_id=ent.district.pk,
            status=status,
            version=1 + (status != FilingStatus.DRAFT) * 3,
            number=number,
            independent_legal_person=True,
            business_scope=rng.choice(SCOPES),
            good_credit=status != FilingStatus.CANCELLED,
            insured_employees=rng.randint(300, 20_000),
            enterprise_size=rng.choice(["medium", "large", "large"]),
            has_pay_linkage=True,
            has_dedicated_staff=True,
            situation=f"在岗职工{rng.randint(400, 30_000)}人，技能人才约{rng.randint(40, 85)}%。",
            site_and_equipment=f"实训考核场地{rng.randint(300, 5000)}平方米，全程视频监控。",
            staff_and_examiners=f"专职人员{rng.randint(2, 12)}人，考评人员{rng.randint(6, 60)}人。",
            submitted_at=self.at(t["submitted"]) if "submitted" in t else None,
            received_on=t.get("received"),
            due_on=t.get("due_on"),
            skip_onsite=skip_onsite,
            district_opinion="材料齐全，同意报市级审核。" if t.get("received") else "",
            decision_note=notes.get(status, "经审核和专家现场评估，同意备案。" if number else ""),
            returned_on=t.get("returned_on"),
            correction_deadline=add_weekdays(t["returned_on"], self.policy.correction_working_days)
            if "returned_on" in t
            else None,
            approved_on=approved_on,
            valid_until=valid_until,
            receipt_pdf="",
            created_at=self.at(t["created"]),
            updated_at=self.at(last),
        )
        ct = self.ct[Filing]
        self.audit(ct, pk, operator, self.at(t["created"], 9), "create", to=FilingStatus.DRAFT)
        if "submitted" in t:
            first = FilingStatus.CITY_REVIEW if ent.city_administered else "district_review"
            self.audit(ct, pk, operator, self.at(t["submitted"]), "submit", "draft", first)
        if "received" in t and not ent.city_administered:
            self.audit(
                ct,
                pk,
                district,
                self.at(t["received"]),
                "district_forward",
                "district_review",
                "city_review",
            )
        onsite = not skip_onsite and status in (
            FilingStatus.EXPERT_REVIEW,
            FilingStatus.REJECTED,
            *DECIDED,
        )
        if onsite:
            expert = rng.choice(self.experts)
            assigned = t["received"] + dt.timedelta(days=2)
            opinion_day = decided_day - dt.timedelta(days=3) if decided_day else None
            w.add(
                ExpertAssignment,
                filing_id=pk,
                expert_id=expert,
                assigned_by_id=city,
                assigned_at=self.at(assigned),
                visited_on=opinion_day,
                score=rng.randint(75, 95) if opinion_day else None,
                recommendation=("approve" if number else "reject") if opinion_day else "",
                opinion="场地设备、考评人员和制度建设符合要求。" if opinion_day else "",
                submitted_at=self.at(opinion_day) if opinion_day else None,
            )
            w.add(
                UserObjectPermission,
                permission_id=self.evaluate_filing,
                content_type_id=ct,
                object_pk=str(pk),
                user_id=expert,
            )
            self.audit(
                ct, pk, city, self.at(assigned), "assign_experts", "city_review", "expert_review"
            )
        before = "expert_review" if onsite else "city_review"
        if status == FilingStatus.RETURNED:
            self.audit(ct, pk, city, self.at(t["returned_on"]), "return", before, status)
        elif status == FilingStatus.REJECTED:
            self.audit(ct, pk, city, self.at(t["decided"]), "reject", before, status)
        elif approved_on:
            self.audit(ct, pk, city, self.at(approved_on), "approve", before, "approved")
        if status in DECIDED and not refiling:
            self.schemes(ent, lines, approved_on)
            ent.approved_on = approved_on
            ent.active_until = min(valid_until, self.today)
        if status in (FilingStatus.REMOVED, FilingStatus.CANCELLED):
            ended = t["ended"]
            ent.active_until = min(ent.active_until, ended - dt.timedelta(days=1))
            years = 2 if status == FilingStatus.REMOVED else 5
            kind = "removed" if status == FilingStatus.REMOVED else "cancelled"
            sanction = w.add(
                Sanction,
                enterprise_id=ent.pk,
                kind=kind,
                decided_on=ended,
                ban_until=ban_end(ended, years),
                reason="年度评估不合格，移出目录。" if years == 2 else "组织考生替考，弄虚作假。",
                decided_by_id=city,
                filing_id=pk,
                created_at=self.at(ended),
            )
            action = "sanction_remove" if years == 2 else "sanction_cancel"
            self.audit(ct, pk, city, self.at(ended), action, "approved", status)
            self.audit(
                self.ct[Sanction], sanction, city, self.at(ended), "sanction_impose", to=kind
            )

    def scope_lines(self, filing_pk: int, refiling: bool) -> list:
        rng = self.rng
        count = 1 if refiling or len(self.occupations) < 2 else rng.choice([1, 1, 2, 2, 3])
        lines = []
        for occupation, work_types in rng.sample(
            self.occupations, min(count, len(self.occupations))
        ):
            work_type = rng.choice(work_types)
            levels = rng.choice([[5, 4, 3], [5, 4], [4, 3, 2], [5, 4, 3, 2]])
            pk = self.writer.add(
                FilingScopeLine,
                filing_id=filing_pk,
                occupation_id=occupation.pk,
                work_type_id=work_type.pk if work_type else None,
                levels=levels,
                standard_type="national",
                workstations=rng.randint(10, 80),
                examiners=rng.randint(3, 30),
                applicants=rng.randint(50, 3000),
                related_to_main_business=True,
            )
            lines.append((pk, occupation, work_type, levels))
        return lines

    def schemes(self, ent: Ent, lines: list, approved_on: dt.date) -> None:
        rng, w = self.rng, self.writer
        for line_pk, occupation, work_type, levels in lines:
            decided = min(self.today, approved_on + dt.timedelta(days=rng.randint(10, 40)))
            status = "approved" if rng.random() > 0.05 else rng.choice(["submitted", "returned"])
            pk = w.add(
                EvaluationScheme,
                enterprise_id=ent.pk,
                scope_line_id=line_pk,
                status=status,
                version=3,
                revision=1,
                replaces_id=None,
                standard_basis="national",
                standard_name=f"{occupation.name}国家职业技能标准（2018年版）",
                levels=levels,
                methods=["theory_exam", "practical", "safety_review", "performance"],
                application_conditions="在本企业从事本职业工作满规定年限，遵守安全生产规定。",
                exceptional_conditions="",
                direct_recognition_criteria="",
                submitted_at=self.at(approved_on),
                approved_on=decided if status == "approved" else None,
                decision_note="同意。" if status == "approved" else "",
                created_at=self.at(approved_on - dt.timedelta(days=5)),
                updated_at=self.at(decided),
            )
            for kind, weight, veto in (("theory", 30, False), ("practical", 50, False)) + (
                ("safety", 20, True),
            ):
                w.add(
                    SchemeComponent,
                    scheme_id=pk,
                    kind=kind,
                    weight=Decimal(weight),
                    pass_mark=Decimal(60),
                    veto=veto,
                )
            if status == "approved":
                name = work_type.name if work_type else ""
                ent.schemes.append((pk, occupation.code, occupation.name, name, levels, decided))

    # Plans, rosters, results, certificates ----------------------------------------------------
