from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "supervision"

    def ready(self) -> None:
        from portal.core import extensions
        from supervision.annual.services import register_annual_labels
        from supervision.complaints.retention import register_complaint_retention
        from supervision.complaints.services import register_complaint_labels
        from supervision.draws.services import register_draw_labels
        from supervision.flags.detection import (
            certificate_cancellation_warnings,
            plan_revocation_warnings,
        )
        from supervision.inspections.services import register_inspection_labels

        # Histories read as words: each area's audit actions get their labels.
        for register in (
            register_draw_labels,
            register_inspection_labels,
            register_complaint_labels,
            register_annual_labels,
        ):
            register()
        # Complainants' contact details go after their retention period (portal.core.retention).
        register_complaint_retention()
        # Pages of lower layers show what supervision found (portal/core/extensions.py).
        extensions.provide(extensions.PLAN_WARNINGS, plan_revocation_warnings)
        extensions.provide(extensions.CERTIFICATE_WARNINGS, certificate_cancellation_warnings)
