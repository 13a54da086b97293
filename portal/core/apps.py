from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "Portal core"

    def ready(self) -> None:
        # Imported for their side effects: audit labels (settings_services, two_factor, privacy:
        # the ID number reveals), the calendar cache (signals), the idle clock (sessions), logins
        # in the audit trail (security_audit).
        from portal.core import (  # noqa: F401
            audit_views,
            privacy,
            security_audit,
            sessions,
            settings_services,
            signals,
            two_factor,
        )
