from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self) -> None:
        from assessments.evidence.retention import register_evidence_retention
        from assessments.evidence.services import register_evidence_labels
        from assessments.examiners.services import register_examiner_labels
        from assessments.models import (
            EvaluationScheme,
            ImplementationPlan,
            PlanStatus,
            SchemeStatus,
        )
        from assessments.results.services import register_result_labels
        from assessments.rosters.retention import register_roster_retention
        from assessments.rosters.services import register_roster_labels
        from assessments.schemes.services import register_scheme_labels
        from assessments.scores.services import register_score_labels
        from portal.core.audit import register_labels
        from portal.core.signals import calendar_changed

        register_scheme_labels()
        register_examiner_labels()
        register_roster_labels()
        register_evidence_labels()
        register_roster_retention()
        register_evidence_retention()
        register_result_labels()
        register_score_labels()
        calendar_changed.connect(_recount_deadlines, dispatch_uid="assessments-recount-deadlines")
        register_labels(
            actions={
                "plan_create": _("plan created"),
                "plan_edit": _("plan edited"),
                "plan_staff": _("examiners and supervisors chosen"),
                "session_save": _("session saved"),
                "session_delete": _("session removed"),
                "plan_submit": _("plan submitted to the city"),
                "plan_acknowledge": _("plan acknowledged"),
                "plan_return": _("plan returned for correction"),
            },
            statuses=dict(PlanStatus.choices),
            model=ImplementationPlan,
        )
        register_labels(actions={}, statuses=dict(SchemeStatus.choices), model=EvaluationScheme)


def _recount_deadlines(**kwargs) -> None:
    from assessments.results.services import result_deadlines_recount

    result_deadlines_recount()
