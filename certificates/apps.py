from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"

    def ready(self) -> None:
        from certificates.models import Certificate
        from certificates.records.labels import AUDIT_ACTIONS, STATUS_LABELS
        from portal.core.audit import register_labels

        register_labels(actions=AUDIT_ACTIONS, statuses=STATUS_LABELS, model=Certificate)
        # The Celery tasks live in the areas, where autodiscovery (app.tasks) does not look.
        import certificates.issuance.tasks  # noqa: F401
