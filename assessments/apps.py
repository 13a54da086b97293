from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"

    def ready(self) -> None:
        from assessments.agreements.services import register_agreement_labels
        from assessments.evidence import services as evidence
        from assessments.evidence.retention import register_evidence_retention
        from assessments.examiners import services as examiners
        from assessments.models import (
            BatchStatus,
            EvaluationScheme,
            ImplementationPlan,
            PlanStatus,
            ResultBatch,
            SchemeStatus,
        )
        from assessments.plans import services as plans
        from assessments.results import services as results
        from assessments.rosters.retention import register_roster_retention
        from assessments.rosters.services import register_roster_labels
        from assessments.schemes import condition_services as scheme_conditions
        from assessments.schemes import services as schemes
        from assessments.scores import services as scores
        from portal.core.audit import register_labels, register_status_labels
        from portal.core.signals import calendar_changed

        # Histories read as words: each area's audit actions, and the statuses of its records.
        for area in (schemes, scheme_conditions, examiners, evidence, results, scores, plans):
            register_labels(actions=area.AUDIT_ACTIONS)
        register_roster_labels()
        register_agreement_labels()
        register_status_labels(
            {
                ResultBatch: BatchStatus,
                ImplementationPlan: PlanStatus,
                EvaluationScheme: SchemeStatus,
            }
        )
        calendar_changed.connect(_recount_deadlines, dispatch_uid="assessments-recount-deadlines")
        # Rosters and evidence go after their retention period (portal.core.retention).
        register_roster_retention()
        register_evidence_retention()
        # The public directory lists the occupations whose scheme is approved (seed 001 §六(二)).
        from assessments.schemes.selectors import approved_scheme_occupations
        from portal.core import extensions

        extensions.provide_batch(extensions.DIRECTORY_SCHEMES, approved_scheme_occupations)


def _recount_deadlines(**kwargs) -> None:
    from assessments.results.services import result_deadlines_recount

    result_deadlines_recount()
