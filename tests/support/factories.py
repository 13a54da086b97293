"""factory_boy factories and the named personas of the test suite.

The world: one province, city 深圳市 (code 4403) with districts 南山区 and 福田区.
"""

import datetime as dt
import hashlib

import factory
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone

from demo.marks import opinion_marks
from filings.filings.services import FILING_FACT_FIELDS
from filings.models import (
    Enterprise,
    EnterpriseStatus,
    ExpertAssignment,
    Filing,
    FilingMaterial,
    FilingScopeLine,
    FilingStatus,
    Occupation,
    WorkType,
)
from filings.review.services import filing_expert_opinion
from portal.core.models import (
    ApplicationWindow,
    Bureau,
    Membership,
    Role,
    default_required_materials,
)
from portal.core.policy import effective_policy
from portal.core.presets import apply_preset
from supervision.models import Sanction

User = get_user_model()


class BureauFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bureau
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Bureau {n}")
    code = factory.Sequence(lambda n: f"B{n:04d}")
    level = "district"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", "pass-Word-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试制造有限公司{n}")
    credit_code = factory.Sequence(lambda n: valid_credit_code(n))
    address = "深圳市南山区科技园1号"
    legal_representative = "王建国"
    contact_name = "李四"
    contact_phone = "13800138000"
    contact_email = "hr@example.com"
    status = EnterpriseStatus.ACTIVE


def valid_credit_code(n: int) -> str:
    """A unified social credit code with a correct GB 32100 check character."""
    from stdnum.cn import uscc

    body = f"91440300{n:09d}"
    return body + uscc.calc_check_digit(body)


class OccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"6-99-{n // 100:02d}-{n % 100:02d}")
    name = factory.Sequence(lambda n: f"职业{n}")
    kind = "skill"
    access_type = False


class FilingFactory(factory.django.DjangoModelFactory):
    """A draft whose facts satisfy the default policy (R-F1)."""

    class Meta:
        model = Filing

    enterprise = factory.SubFactory(EnterpriseFactory)
    independent_legal_person = True
    business_scope = "数控机床、精密零部件的研发、生产和销售"
    good_credit = True
    insured_employees = 1200
    enterprise_size = "large"
    has_pay_linkage = True
    has_dedicated_staff = True
    situation = "技能人才1000余人"
    site_and_equipment = "实训车间2000平方米"
    staff_and_examiners = "专职人员5人，考评员20人"
    registration_authority = "深圳市市场监督管理局"
    principal_name = "王建国"
    principal_title = "总经理"
    principal_phone = "0755-26000001"
    contact_title = "人力资源部经理"
    contact_mobile = "13800000001"
    filled_in_by = "李红"
    filler_phone = "0755-26000002"


def filing_form(**overrides) -> dict:
    """The application form's facts as a browser posts them (a ticked box is "on", an unticked
    one is absent), filled with FilingFactory's values."""
    draft = FilingFactory.build()
    data = {}
    for name in FILING_FACT_FIELDS:
        value = getattr(draft, name)
        if value is not False:
            data[name] = "on" if value is True else str(value)
    return {**data, **overrides}


class ScopeLineFactory(factory.django.DjangoModelFactory):
    """A scope line satisfying R-F2 and R-F3 under the default policy."""

    class Meta:
        model = FilingScopeLine

    filing = factory.SubFactory(FilingFactory)
    occupation = factory.SubFactory(OccupationFactory)
    work_type = None
    levels = [5, 4, 3]
    standard_type = "national"
    workstations = 20
    examiners = 5
    applicants = 120
    related_to_main_business = True


# The smallest file `filetype` recognises as a PDF (R-F8 materials are checked by content).
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class MaterialFactory(factory.django.DjangoModelFactory):
    """An uploaded R-F8 material (a small PDF). Tests using it must point MEDIA_ROOT at tmp_path."""

    class Meta:
        model = FilingMaterial

    filing = factory.SubFactory(FilingFactory)
    kind = "application_form"
    file = factory.django.FileField(filename="material.pdf", data=MINIMAL_PDF)
    original_name = factory.LazyAttribute(lambda m: f"{m.kind}.pdf")
    content_type = "application/pdf"
    size = len(MINIMAL_PDF)
    sha256 = hashlib.sha256(MINIMAL_PDF).hexdigest()
    uploaded_by = factory.SubFactory(UserFactory)


class SanctionFactory(factory.django.DjangoModelFactory):
    """R-M2: filing cancelled for fraud, no new filing for 5 years (kind "removed" is R-M3)."""

    class Meta:
        model = Sanction

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = "cancelled"
    decided_on = dt.date(2025, 3, 1)
    ban_until = factory.LazyAttribute(lambda s: s.decided_on + relativedelta(years=5))
    reason = "组织考生替考，弄虚作假"
    decided_by = factory.SubFactory(UserFactory)


def complete_filing(enterprise, *, uploaded_by=None, **fields) -> Filing:
    """A draft that meets every rule of the default policy: one scope line, every material."""
    filing = FilingFactory(enterprise=enterprise, **fields)
    ScopeLineFactory(filing=filing)
    uploader = uploaded_by or UserFactory()
    # The portal's default list and whatever the jurisdiction's preset asks for (R-F8).
    asked = [item.kind for item in effective_policy(enterprise.district).material_items]
    for kind in dict.fromkeys([*default_required_materials(), *asked]):
        MaterialFactory(filing=filing, kind=kind, uploaded_by=uploader)
    return filing


def approved_filing(
    enterprise,
    number: str = "440320250001",
    *,
    approved_on: dt.date = dt.date(2025, 3, 14),
    valid_until: dt.date | None = None,
    **fields,
) -> Filing:
    """A filing approved on `approved_on` (14 March 2025 unless told), valid for the three years
    of the default policy unless `valid_until` says otherwise."""
    return FilingFactory(
        enterprise=enterprise,
        status=FilingStatus.APPROVED,
        number=number,
        approved_on=approved_on,
        valid_until=valid_until or approved_on + relativedelta(years=3, days=-1),
        **fields,
    )


def approved_today(enterprise) -> Filing:
    """A filing approved today and valid for three years, with one scope line."""
    today = timezone.localdate()
    filing = approved_filing(
        enterprise,
        f"4403{today.year}0001",
        approved_on=today,
        valid_until=today + dt.timedelta(days=3 * 365),
    )
    ScopeLineFactory(filing=filing)
    return filing


def expert_opinion(
    filing,
    expert,
    opinion: str,
    *,
    score: int = 88,
    recommendation: str = "approve",
    visited_on: dt.date = dt.date(2026, 10, 9),
    actor=None,
):
    """The opinion on `expert`'s assignment to `filing`, given through the service (R-F6) by
    the expert, or by `actor` when someone else tries. Under a checklist the score is spread
    over the items (each at most its points)."""
    assignment = ExpertAssignment.objects.get(filing=filing, expert=expert)
    return filing_expert_opinion(
        assignment=assignment,
        actor=actor or expert,
        visited_on=visited_on,
        recommendation=recommendation,
        opinion=opinion,
        **opinion_marks(assignment, score),
    )


def make_world():
    """Province → city → two districts, a policy, an open application window, the personas."""
    province = BureauFactory(code="44", name="广东省", level="province")
    city = BureauFactory(code="4403", name="深圳市", level="city", parent=province)
    nanshan = BureauFactory(code="440305", name="南山区", level="district", parent=city)
    futian = BureauFactory(code="440304", name="福田区", level="district", parent=city)
    other_city = BureauFactory(code="4406", name="佛山市", level="city", parent=province)
    shunde = BureauFactory(code="440606", name="顺德区", level="district", parent=other_city)
    apply_preset(city, "shenzhen")
    ApplicationWindow.objects.get_or_create(
        bureau=city, opens_on=dt.date(2000, 1, 1), closes_on=dt.date(2099, 12, 31)
    )
    return {
        "province": province,
        "city": city,
        "nanshan": nanshan,
        "futian": futian,
        "other_city": other_city,
        "shunde": shunde,
    }


def make_member(username: str, role: str, *, bureau=None, enterprise=None, is_admin=False):
    user = UserFactory(username=username)
    Membership.objects.update_or_create(
        user=user,
        defaults={
            "role": role,
            "bureau": bureau,
            "enterprise": enterprise,
            "is_admin": is_admin,
            "full_name": username,
        },
    )
    return user


__all__ = [
    "BureauFactory",
    "EnterpriseFactory",
    "FilingFactory",
    "MaterialFactory",
    "OccupationFactory",
    "Role",
    "SanctionFactory",
    "ScopeLineFactory",
    "UserFactory",
    "WorkType",
    "approved_filing",
    "approved_today",
    "complete_filing",
    "expert_opinion",
    "filing_form",
    "make_member",
    "make_world",
    "valid_credit_code",
]
