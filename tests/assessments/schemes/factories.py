"""Factories of evaluation schemes (R-S*) and the examiner register (R-C3), and the objects the
access matrix needs for their pages (`scheme_matrix_objects`)."""

import datetime as dt
import itertools

import factory
from guardian.shortcuts import assign_perm
from stdnum.cn import ric

from assessments.models import (
    EvaluationScheme,
    Examiner,
    ExaminerScope,
    LevelMapping,
    SchemeComponent,
    SchemeReview,
)
from tests.support.factories import (
    EnterpriseFactory,
    FilingFactory,
    OccupationFactory,
    ScopeLineFactory,
)


def valid_id_number(n: int, *, region: str = "440305", born: str = "19880412") -> str:
    """A resident ID number with a correct GB 11643 check character."""
    body = f"{region}{born}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


_filing_serial = itertools.count(1)


def approved_filing(enterprise, **fields):
    """An approved filing valid until 2099, so tests do not age."""
    values = {
        "status": "approved",
        "number": f"4403S{next(_filing_serial):08d}",
        "approved_on": dt.date(2025, 1, 6),
        "valid_until": dt.date(2099, 12, 31),
    }
    values.update(fields)
    return FilingFactory(enterprise=enterprise, **values)


def filed_line(enterprise, **fields):
    """A scope line of an approved, valid filing of `enterprise` (levels 5, 4, 3, national)."""
    filing = fields.pop("filing", None) or approved_filing(enterprise)
    return ScopeLineFactory(filing=filing, **fields)


class SchemeFactory(factory.django.DjangoModelFactory):
    """A draft scheme whose own fields follow the rules; it has no component yet."""

    class Meta:
        model = EvaluationScheme

    enterprise = factory.SubFactory(EnterpriseFactory)
    scope_line = factory.LazyAttribute(lambda s: filed_line(s.enterprise))
    standard_basis = "national"
    standard_name = "国家职业技能标准（2019年版）"
    levels = [5, 4, 3]
    methods = ["theory_exam", "practical", "safety_review"]
    application_conditions = "在本企业连续工作满1年"


class ComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchemeComponent

    scheme = factory.SubFactory(SchemeFactory)
    kind = "theory"
    weight = 30
    pass_mark = 60
    veto = False


def complete_scheme(enterprise, **fields) -> EvaluationScheme:
    """A draft that passes every check before submission: theory 30, practical 50, safety 20
    (with the veto), a mapping of 特级技师 to level 3."""
    scheme = SchemeFactory(enterprise=enterprise, **fields)
    ComponentFactory(scheme=scheme, kind="theory", weight=30)
    ComponentFactory(scheme=scheme, kind="practical", weight=50)
    ComponentFactory(scheme=scheme, kind="safety", weight=20, veto=True)
    LevelMapping.objects.create(scheme=scheme, enterprise_level="三级（甲等）", national_level=3)
    return scheme


class ExaminerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Examiner

    enterprise = factory.SubFactory(EnterpriseFactory)
    role = "examiner"
    name = factory.Sequence(lambda n: f"考评员{n}")
    id_number = factory.Sequence(lambda n: valid_id_number(n, born="19920315"))
    phone = "13900139000"
    qualification = "高级考评员"
    certificate_number = factory.Sequence(lambda n: f"KP{n:06d}")


def examiner_for(enterprise, occupation, *, highest_level=3, **fields) -> Examiner:
    examiner = ExaminerFactory(enterprise=enterprise, **fields)
    ExaminerScope.objects.create(
        examiner=examiner, occupation=occupation, highest_level=highest_level
    )
    return examiner


def scheme_matrix_objects(*, enterprise, people: dict) -> dict:
    """Objects of enterprise A for the access matrix: a draft scheme with a component and a
    mapping, one submitted, one under expert review with erin assigned, one approved; an
    examiner with a scope line."""
    draft = complete_scheme(enterprise)
    component = draft.components.first()
    mapping = draft.level_mappings.first()
    submitted = complete_scheme(enterprise, status="submitted")
    review = complete_scheme(enterprise, status="expert_review")
    SchemeReview.objects.create(scheme=review, expert=people["erin"], assigned_by=people["carl"])
    assign_perm("assessments.evaluate_scheme", people["erin"], review)
    approved = complete_scheme(enterprise, status="approved", approved_on=dt.date(2026, 1, 5))
    occupation = OccupationFactory()
    examiner = examiner_for(enterprise, occupation)
    return {
        "draft_scheme": {"pk": draft.pk},
        "draft_scheme_component": {"pk": draft.pk, "component_id": component.pk},
        "draft_scheme_mapping": {"pk": draft.pk, "mapping_id": mapping.pk},
        "submitted_scheme": {"pk": submitted.pk},
        "review_scheme": {"pk": review.pk},
        "approved_scheme": {"pk": approved.pk},
        "examiner": {"pk": examiner.pk},
        "examiner_scope": {"pk": examiner.pk, "scope_id": examiner.scopes.get().pk},
    }
