"""Evaluation schemes, examiners, implementation plans, sessions, rosters, scores, evidence and
results (R-S*, R-C*, R-P*, R-R*): one module per area, every model importable from here."""

from assessments.models.agreements import (
    EDITABLE_AGREEMENT_STATUSES,
    AgreementDocument,
    AgreementStatus,
    EntrustedAgreement,
)
from assessments.models.conditions import ApplicationRoute, ExceptionalGround
from assessments.models.evidence import EvidenceKind, SessionEvidence
from assessments.models.examiners import Examiner, ExaminerRole, ExaminerScope, ExaminerStatus
from assessments.models.plans import (
    EDITABLE_PLAN_STATUSES,
    AssessmentSession,
    ImplementationPlan,
    PlanStatus,
    SessionInvigilator,
)
from assessments.models.results import BatchStatus, Objection, ResultBatch
from assessments.models.rosters import (
    WORKING_ROSTER_PHASES,
    ExamineeCategory,
    ExamineeResult,
    RosterEntry,
    RosterImport,
    RosterImportPhase,
)
from assessments.models.schemes import (
    EDITABLE_SCHEME_STATUSES,
    OPEN_SCHEME_STATUSES,
    ComponentKind,
    EvaluationMethod,
    EvaluationScheme,
    LevelMapping,
    SchemeComponent,
    SchemeRecommendation,
    SchemeReview,
    SchemeStatus,
    StandardBasis,
)
from assessments.models.scores import ExamineeScore

__all__ = [
    "AgreementDocument",
    "AgreementStatus",
    "EDITABLE_AGREEMENT_STATUSES",
    "EntrustedAgreement",
    "SessionInvigilator",
    "SchemeStatus",
    "EDITABLE_SCHEME_STATUSES",
    "OPEN_SCHEME_STATUSES",
    "StandardBasis",
    "EvaluationMethod",
    "ComponentKind",
    "EvaluationScheme",
    "SchemeComponent",
    "LevelMapping",
    "SchemeRecommendation",
    "SchemeReview",
    "ApplicationRoute",
    "ExceptionalGround",
    "ExaminerRole",
    "ExaminerStatus",
    "Examiner",
    "ExaminerScope",
    "PlanStatus",
    "EDITABLE_PLAN_STATUSES",
    "ImplementationPlan",
    "AssessmentSession",
    "ExamineeCategory",
    "ExamineeResult",
    "RosterEntry",
    "RosterImportPhase",
    "WORKING_ROSTER_PHASES",
    "RosterImport",
    "ExamineeScore",
    "EvidenceKind",
    "SessionEvidence",
    "BatchStatus",
    "ResultBatch",
    "Objection",
]
