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

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from assessments.models import (
    ResultBatch,
    RosterEntry,
)
from certificates.models import Certificate
from demo.scale.facts import (
    CITY,
    CITY_ADMINISTERED_SHARE,
    DISTRICTS,
    FORMS,
    GIVEN,
    ID_SPACE,
    INDUSTRIES,
    MOBILE_PREFIXES,
    OCCUPATIONS_CSV,
    PILOT_SHARE,
    PROVINCE,
    STREETS,
    SURNAMES,
    SYLLABLES,
    Ent,
    credit_code,
)
from demo.scale.filing_rows import FilingRows
from demo.scale.issuing import Issuing
from demo.scale.writer import BulkWriter, indexes_built_after
from filings.models import (
    Enterprise,
    Filing,
    Occupation,
)
from filings.occupations import import_occupations_csv
from portal.core.models import AuditEvent, Bureau, Counter, Membership
from portal.core.presets import apply_preset
from supervision.models import Sanction

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


class Seeder(FilingRows, Issuing):
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
        self.policy = apply_preset(self.city, "shenzhen")
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
                administration_level="city" if city_administered else "district",
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
