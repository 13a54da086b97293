"""Filings, scope lines and schemes of the scale data (R-F1 … R-F9, R-S1): the part of
seed.Seeder that writes what enterprises filed and how the bureaus decided."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from guardian.models import UserObjectPermission

from assessments.models import (
    EvaluationScheme,
    SchemeComponent,
)
from demo.scale.facts import (
    DECIDED,
    FILING_MIX,
    REFILING_SHARE,
    SCOPES,
    Ent,
    add_weekdays,
)
from filings.models import (
    ExpertAssignment,
    Filing,
    FilingScopeLine,
    FilingStatus,
)
from portal.core.counters import allocate
from supervision.models import Sanction
from supervision.sanctions.services import ban_end


class FilingRows:
    """Mixed into seed.Seeder: uses its random generator, writer, clock and reviewers."""

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
            # Scale enterprises are district or city enterprises: their city reviews them.
            reviewing_bureau_id=ent.district.parent_id,
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
