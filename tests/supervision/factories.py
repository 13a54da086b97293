"""Shared builders for the supervision tests: supervisors in a city's pool, and an inspection of
one enterprise with its supervisors delegated (as a draw would make it, without the randomness)."""

import datetime as dt
import hashlib

import factory
from guardian.shortcuts import assign_perm

from supervision.draws.algorithm import INSPECT_PERM
from supervision.models import (
    AttachmentSide,
    Complaint,
    Draw,
    Finding,
    FindingAttachment,
    Inspection,
    InspectionAssignment,
    SupervisorProfile,
)
from tests.support.factories import MINIMAL_PDF, make_member


def supervisor_profile(user, *, city, employer=None, active=True) -> SupervisorProfile:
    profile, _created = SupervisorProfile.objects.update_or_create(
        user=user, defaults={"city": city, "employer": employer, "active": active}
    )
    return profile


def supervisors_in_pool(city, n: int, prefix: str = "s") -> list:
    """`n` supervisors of `city`'s pool, named <prefix>0, <prefix>1, …"""
    users = []
    for i in range(n):
        user = make_member(f"{prefix}{i}", "supervisor", bureau=city)
        supervisor_profile(user, city=city)
        users.append(user)
    return users


def inspection_of(
    enterprise, *, supervisors, actor, session=None, year: int = 2026, draw: Draw | None = None
) -> Inspection:
    """An inspection of `enterprise` (or of one of its sessions) assigned to `supervisors`."""
    city = enterprise.district.parent
    if draw is None:
        draw = Draw.objects.create(
            city=city,
            title=f"{year}年第一批双随机抽查",
            kind="sessions" if session else "enterprises",
            year=year,
            seed="0" * 32,
            target_count=1,
            supervisors_per_target=len(supervisors),
            candidates=[[session.pk if session else enterprise.pk, 1]],
            pool=[u.pk for u in supervisors],
            drawn_by=actor,
        )
    position = draw.inspections.count() + 1
    inspection = Inspection.objects.create(
        draw=draw, position=position, enterprise=enterprise, session=session
    )
    for user in supervisors:
        InspectionAssignment.objects.create(inspection=inspection, supervisor=user)
        assign_perm(INSPECT_PERM, user, inspection)
    return inspection


class FindingFactory(factory.django.DjangoModelFactory):
    """An open finding (R-C2) to be rectified long after the tests' dates; pass the inspection
    and created_by."""

    class Meta:
        model = Finding

    description = "考评记录缺少考评员签字"
    rule = "R-C1"
    rectification = "补齐签字并整改"
    rectify_by = dt.date(2099, 12, 31)


class FindingAttachmentFactory(factory.django.DjangoModelFactory):
    """A supervisor's evidence (a small PDF) on a finding; pass the finding and uploaded_by.
    Tests using it keep MEDIA_ROOT at a temporary folder (tests/conftest.py does)."""

    class Meta:
        model = FindingAttachment

    side = AttachmentSide.EVIDENCE
    file = factory.django.FileField(filename="evidence.pdf", data=MINIMAL_PDF)
    original_name = "现场照片.pdf"
    content_type = "application/pdf"
    size = len(MINIMAL_PDF)
    sha256 = hashlib.sha256(MINIMAL_PDF).hexdigest()


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A stored complaint (R-M5) about `enterprise`, with its district; without an enterprise,
    pass the bureau (and the city when the bureau is a district)."""

    class Meta:
        model = Complaint

    reference = factory.Sequence(lambda n: f"TS2026{n:06d}")
    enterprise = None
    bureau = factory.LazyAttribute(lambda c: c.enterprise.district)
    city = factory.LazyAttribute(
        lambda c: c.bureau if c.bureau.level == "city" else c.bureau.parent
    )
    enterprise_name = factory.LazyAttribute(
        lambda c: c.enterprise.name if c.enterprise else "南山精密机械有限公司"
    )
    category = "fees"
    subject = "收费问题"
    body = "收取额外费用"
    contact_name = "王先生"
    contact_phone = "13800138000"


TODAY = dt.date(2026, 11, 2)
