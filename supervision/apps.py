from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"

    def ready(self) -> None:
        from portal.core import extensions
        from portal.core.audit import register_labels, register_status_labels
        from supervision.annual import services as annual
        from supervision.complaints.retention import register_complaint_retention
        from supervision.complaints.services import register_complaint_labels
        from supervision.draws import services as draws
        from supervision.flags.detection import (
            certificate_cancellation_warnings,
            plan_revocation_warnings,
        )
        from supervision.inspections import services as inspections
        from supervision.models import (
            AnnualReport,
            AnnualReportStatus,
            Evaluation,
            EvaluationOutcome,
            Finding,
            FindingStatus,
            Inspection,
            InspectionStatus,
            ReportStatus,
            Sanction,
            SanctionKind,
            SanctionReport,
        )
        from supervision.sanctions import reports

        # Histories read as words: each area's audit actions, and the statuses of its records.
        for area in (draws, inspections, annual, reports):
            register_labels(actions=area.AUDIT_ACTIONS)
        register_complaint_labels()
        register_status_labels(
            {
                Inspection: InspectionStatus,
                Finding: FindingStatus,
                AnnualReport: AnnualReportStatus,
                Sanction: SanctionKind,
                Evaluation: EvaluationOutcome,
                SanctionReport: ReportStatus,
            }
        )
        # Complainants' contact details go after their retention period (portal.core.retention).
        register_complaint_retention()
        # Pages of lower layers show what supervision found (portal/core/extensions.py).
        extensions.provide(extensions.PLAN_WARNINGS, plan_revocation_warnings)
        extensions.provide(extensions.CERTIFICATE_WARNINGS, certificate_cancellation_warnings)

        # Every workflow step tells whoever must act next (supervision.notifications.events).
        from portal.core.audit import recorded
        from supervision.notifications import announcements  # noqa: F401  (registers)
        from supervision.notifications.events import on_recorded

        recorded.connect(on_recorded, dispatch_uid="notifications")
