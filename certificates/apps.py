from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"

    def ready(self) -> None:
        from certificates.records.labels import register_certificate_labels

        register_certificate_labels()
        # The Celery tasks live in the areas, where autodiscovery (app.tasks) does not look.
        import certificates.issuance.tasks  # noqa: F401
