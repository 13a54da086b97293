from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "Portal core"

    def ready(self) -> None:
        # Imported for their side effects: audit labels (settings_services, two_factor, privacy:
        # the ID number reveals, passwords), the calendar cache (signals), the idle clock
        # (sessions), the account check at login (account_guard), logins in the audit trail
        # (security_audit).
        from portal.core import (  # noqa: F401
            account_guard,
            audit_views,
            passwords,
            privacy,
            security_audit,
            sessions,
            settings_services,
            signals,
            two_factor,
        )
