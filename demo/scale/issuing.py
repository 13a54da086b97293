"""Plans, rosters, results and certificates of the scale data (R-P1, R-P5, R-R1, R-R2, R-K1 …
R-K2): the part of seed.Seeder that issues the million certificates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from assessments.models import (
    AssessmentSession,
    ImplementationPlan,
    ResultBatch,
    RosterEntry,
)
from certificates.models import Certificate, IssueBatch, NumberingPrefix
from certificates.numbering import numbers as numbering
from demo.scale.facts import (
    FAIL_REASONS,
    IN_PROGRESS_SHARE,
    ISSUER_SHARE,
    PASS_RATE,
    PLAN_SIZE,
    POSITIONS,
    REPLACE_REASONS,
    REPLACED_SHARE,
    REVOKE_REASONS,
    REVOKED_SHARE,
    Ent,
    add_weekdays,
    id_number,
)
from portal.core.models import Counter


class Issuing:
    """Mixed into seed.Seeder: uses its random generator, writer, clock and reviewers."""

    def issuers(self, ents: list[Ent]) -> list[tuple[Ent, dt.date]]:
        """Enterprises that have issued certificates, each with the first day it could."""
        rng = self.rng
        found = []
        for ent in ents:
            if not ent.schemes or rng.random() > ISSUER_SHARE:
                continue
            start = max(s[5] for s in ent.schemes) + dt.timedelta(days=45)
            if start <= ent.active_until:
                found.append((ent, start))
        return found

    def issue(self, ents: list[Ent]) -> None:
        rng = self.rng
        issuers = self.issuers(ents)
        self.issued = 0
        if not issuers:
            return
        # A few large enterprises issue most certificates: weights 1/rank^0.75.
        order = list(range(len(issuers)))
        rng.shuffle(order)
        weights = [0.0] * len(issuers)
        for rank, position in enumerate(order, start=1):
            weights[position] = rank**-0.75
        total = sum(weights)
        counts = [int(self.certificates * weight / total) for weight in weights]
        for position in order[: self.certificates - sum(counts)]:
            counts[position] += 1
        for n, ((ent, start), count) in enumerate(zip(issuers, counts, strict=True)):
            if count == 0:
                continue
            ent.prefix = f"Y000044{200000 + ent.index:06d}"
            self.writer.add(
                NumberingPrefix,
                enterprise_id=ent.pk,
                category="Y",
                institution_code="0000",
                province_code="44",
                site_serial=ent.prefix[7:],
                version=1,
                updated_by_id=self.reviewer_city,
                updated_at=self.at(start - dt.timedelta(days=20)),
            )
            sizes = []
            while sum(sizes) < count:
                sizes.append(min(rng.randint(*PLAN_SIZE), count - sum(sizes)))
            span = (ent.active_until - start).days
            days = sorted(start + dt.timedelta(days=rng.randint(0, span)) for _ in sizes)
            for size, day in zip(sizes, days, strict=True):
                self.issued_plan(ent, size, day)
            if n % 500 == 499:
                self.step(f"{self.issued} certificates")

    def plan(self, ent: Ent, scheme, *, status: str, acknowledged: dt.date | None, title: str):
        rng = self.rng
        scheme_pk, _code, occupation_name, _wt, scheme_levels, _day = scheme
        levels = sorted(rng.sample(scheme_levels, min(len(scheme_levels), rng.choice([1, 2]))))
        levels.reverse()
        anchor = acknowledged or self.days_ago(0, 20)
        submitted = anchor - dt.timedelta(days=rng.randint(1, 5))
        created = submitted - dt.timedelta(days=rng.randint(3, 20))
        pk = self.writer.add(
            ImplementationPlan,
            enterprise_id=ent.pk,
            scheme_id=scheme_pk,
            title=f"{created.year}年{occupation_name}职业技能等级认定{title}",
            levels=levels,
            status=status,
            version=4,
            application_conditions="",
            submitted_on=submitted if status != "draft" else None,
            acknowledged_on=acknowledged,
            decision_note="收悉，按计划实施。" if acknowledged else "",
            created_at=self.at(created),
            updated_at=self.at(anchor),
        )
        held = anchor + dt.timedelta(days=rng.randint(12, 25))
        for start, end, component, room in (
            (dt.time(9), dt.time(11, 30), "theory", "理论考场1"),
            (dt.time(14), dt.time(17), "practical", "实训车间"),
        ):
            self.writer.add(
                AssessmentSession,
                plan_id=pk,
                date=held,
                starts_at=start,
                ends_at=end,
                site="实训中心",
                room=room,
                component=component,
            )
        return pk, levels, held

    def entry(self, plan_pk, seq, ent: Ent, scheme, level, created, *, result, **extra):
        """A roster row (R-P5) with a fresh person: (pk, name, ID number)."""
        rng = self.rng
        self.people += 1
        number, born, sex = id_number(self.people, self.id_offset)
        name = self.person()
        employee = rng.random() > 0.08
        adult = born.replace(year=born.year + 18, day=1)
        hired = max(adult, created.date() - dt.timedelta(days=rng.randint(400, 3000)))
        if result == "passed":
            score = Decimal(rng.randint(6000, 9800)) / 100
        elif result == "failed":
            score = Decimal(rng.randint(3000, 5900)) / 100
        else:
            score = None
        pk = self.writer.add(
            RosterEntry,
            plan_id=plan_pk,
            seq=seq,
            institution_code=ent.prefix[:5] or "Y0000",
            institution_name=ent.name,
            name=name,
            id_type="居民身份证",
            id_number=number,
            sex=sex,
            birth_date=born,
            phone=self.phone(),
            email="",
            is_employee=employee,
            employer=ent.name if employee else "深圳市人力资源服务有限公司",
            years_in_occupation=f"{rng.randint(1, 20)}年",
            position=rng.choice(POSITIONS),
            hired_on=hired,
            occupation_code=scheme[1],
            occupation_name=scheme[2],
            work_type_name=scheme[3],
            level=level,
            category="employee" if employee else "dispatched",
            photo="",
            direct_recognition=False,
            direct_recognition_evidence="",
            total_score=score,
            result=result,
            created_at=created,
            **{
                "certificate_number": "",
                "issued_on": None,
                "result_reason": "",
                "safety_violation": False,
                **extra,
            },
        )
        return pk, name, number

    def serial(self, ent: Ent, day: dt.date, level: int) -> str:
        key = (day.year, level)
        ent.serials[key] = ent.serials.get(key, 0) + 1
        return numbering.format_number(ent.prefix, day.year, level, ent.serials[key])

    def issued_plan(self, ent: Ent, size: int, issued_on: dt.date) -> None:
        """An acknowledged plan, its roster, approved results and `size` certificates."""
        rng, w = self.rng, self.writer
        scheme = rng.choice(ent.schemes)
        approved = issued_on - dt.timedelta(days=rng.randint(0, 10))
        result_submitted = approved - dt.timedelta(days=rng.randint(3, 15))
        publicity_ends = result_submitted - dt.timedelta(days=rng.randint(1, 10))
        published = publicity_ends - dt.timedelta(days=7)
        acknowledged = published - dt.timedelta(days=rng.randint(25, 60))
        plan_pk, levels, _held = self.plan(
            ent, scheme, status="acknowledged", acknowledged=acknowledged, title=""
        )
        created = self.at(acknowledged)
        # Who passed, and which of them were later reissued (a second certificate).
        people = []
        budget = size
        while budget > 0:
            replaced = budget > 1 and rng.random() < REPLACED_SHARE
            people.append(replaced)
            budget -= 1 + replaced
        failed = round(len(people) * (1 - rng.uniform(*PASS_RATE)))
        outcomes = [("passed", replaced) for replaced in people] + [("failed", False)] * failed
        rng.shuffle(outcomes)
        batch = w.add(
            ResultBatch,
            plan_id=plan_pk,
            status="approved",
            version=4,
            published_on=published,
            publicity_ends_on=publicity_ends,
            filing_due_on=add_weekdays(publicity_ends, self.policy.result_filing_working_days),
            submitted_on=result_submitted,
            approved_on=approved,
            decision_note="",
            created_at=self.at(published),
            updated_at=self.at(approved),
        )
        issue = w.add(
            IssueBatch,
            result_batch_id=batch,
            enterprise_id=ent.pk,
            issued_on=issued_on,
            issued_by_id=ent.operator,
            status="ready",
            job_id=None,
            pdf="",
            pages=len(people),
            created_at=self.at(issued_on, 10),
            rendered_at=self.at(issued_on, 11),
        )
        position = 0
        for seq, (result, replaced) in enumerate(outcomes, start=1):
            level = rng.choice(levels)
            if result == "failed":
                reason = rng.choice(FAIL_REASONS)
                self.entry(
                    plan_pk,
                    seq,
                    ent,
                    scheme,
                    level,
                    created,
                    result="failed",
                    result_reason=reason,
                    safety_violation=reason == FAIL_REASONS[2],
                )
                continue
            number = self.serial(ent, issued_on, level)
            later = None
            if replaced:
                days = rng.randint(30, 400)
                later = min(self.today, issued_on + dt.timedelta(days=days))
            current = self.serial(ent, later, level) if later else number
            entry_pk, holder, id_plain = self.entry(
                plan_pk,
                seq,
                ent,
                scheme,
                level,
                created,
                result="passed",
                certificate_number=current,
                issued_on=later or issued_on,
            )
            # The certificate copies the roster's printed fields (R-K3).
            common = {
                "holder_name": holder,
                "id_number": id_plain,
                "enterprise_id": ent.pk,
                "batch_id": issue,
                "entry_id": entry_pk,
                "position": position,
                "id_type": "居民身份证",
                "photo": "",
                "occupation_code": scheme[1],
                "occupation_name": scheme[2],
                "work_type_name": scheme[3],
                "level": level,
                "issuer_name": ent.name,
                "pdf": "",
                "reported_in_id": None,
            }
            status, revoked = "valid", None
            if later:
                status = "replaced"
            elif rng.random() < REVOKED_SHARE:
                status = "revoked"
                revoked = min(self.today, issued_on + dt.timedelta(days=rng.randint(20, 500)))
            first = w.add(
                Certificate,
                number=number,
                issued_on=issued_on,
                status=status,
                revoked_on=revoked,
                revoked_reason=rng.choice(REVOKE_REASONS) if revoked else "",
                revoked_by_id=ent.operator if revoked else None,
                replaces_id=None,
                replacement_kind="",
                replacement_reason="",
                version=2 if status != "valid" else 1,
                created_at=self.at(issued_on, 10),
                **common,
            )
            self.issued += 1
            if revoked:
                self.audit(
                    self.ct[Certificate],
                    first,
                    ent.operator,
                    self.at(revoked),
                    "certificate_revoked",
                    "valid",
                    "revoked",
                )
            if later:
                kind, reason = rng.choice(REPLACE_REASONS)
                w.add(
                    Certificate,
                    number=current,
                    issued_on=later,
                    status="valid",
                    revoked_on=None,
                    revoked_reason="",
                    revoked_by_id=None,
                    replaces_id=first,
                    replacement_kind=kind,
                    replacement_reason=reason,
                    version=1,
                    created_at=self.at(later),
                    **common,
                )
                self.issued += 1
            position += 1
        ct = self.ct[ResultBatch]
        op, city = ent.operator, self.reviewer_city
        self.audit(ct, batch, op, self.at(published), "result_publish", "draft", "publicised")
        self.audit(
            ct, batch, op, self.at(result_submitted), "result_submit", "publicised", "submitted"
        )
        self.audit(ct, batch, city, self.at(approved), "result_approve", "submitted", "approved")
        self.audit(ct, batch, op, self.at(issued_on, 10), "certificates_issued")

    def in_progress(self, ents: list[Ent]) -> None:
        """Plans under way at every stage: what the reviewers' to-do lists are made of."""
        rng = self.rng
        stages = (
            "draft",
            "submitted",
            "acknowledged",
            "publicised",
            "submitted_results",
            "returned",
            "approved",
        )
        for ent in ents:
            if not ent.schemes or ent.active_until < self.today or rng.random() > IN_PROGRESS_SHARE:
                continue
            if not ent.prefix:
                ent.prefix = f"Y000044{200000 + ent.index:06d}"
            stage = rng.choice(stages)
            status = stage if stage in ("draft", "submitted") else "acknowledged"
            results = stage not in ("draft", "submitted", "acknowledged")
            # Sessions still ahead for an acknowledged plan, held weeks ago for published results.
            acknowledged = None
            if status == "acknowledged":
                acknowledged = self.days_ago(40, 90) if results else self.days_ago(0, 20)
            scheme = rng.choice(ent.schemes)
            plan_pk, levels, held = self.plan(
                ent, scheme, status=status, acknowledged=acknowledged, title="（进行中）"
            )
            created = self.at(acknowledged or self.days_ago(0, 10))
            for seq in range(1, rng.randint(20, 150) + 1):
                result = "pending"
                if results:
                    result = "passed" if rng.random() < 0.93 else "failed"
                self.entry(plan_pk, seq, ent, scheme, rng.choice(levels), created, result=result)
            if not results:
                continue
            published = min(self.today, held + dt.timedelta(days=rng.randint(2, 6)))
            ends = add_weekdays(published, self.policy.publicity_working_days)
            batch_status = {"publicised": "publicised", "submitted_results": "submitted"}.get(
                stage, stage
            )
            submitted = min(self.today, ends + dt.timedelta(days=2))
            self.writer.add(
                ResultBatch,
                plan_id=plan_pk,
                status=batch_status,
                version=3,
                published_on=published,
                publicity_ends_on=ends,
                filing_due_on=add_weekdays(ends, self.policy.result_filing_working_days),
                submitted_on=submitted if batch_status != "publicised" else None,
                approved_on=submitted if batch_status == "approved" else None,
                decision_note="请补充异议处理记录。" if batch_status == "returned" else "",
                created_at=self.at(published),
                updated_at=self.at(submitted),
            )

    def counters(self, ents: list[Ent]) -> None:
        """R-K2: the serial counters, so that the next certificate continues the numbering."""
        for ent in ents:
            for (year, level), last in sorted(ent.serials.items()):
                self.writer.add(Counter, key=numbering.counter_key(ent.pk, year, level), value=last)
