from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self) -> None:
        from assessments.examiner_services import register_examiner_labels
        from assessments.models import (
            EvaluationScheme,
            ImplementationPlan,
            PlanStatus,
            SchemeStatus,
        )
        from assessments.roster_services import register_roster_labels
        from assessments.scheme_services import register_scheme_labels
        from portal.core.audit import register_labels

        register_scheme_labels()
        register_examiner_labels()
        register_roster_labels()
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
