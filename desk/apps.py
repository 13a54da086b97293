from django.apps import AppConfig


class DeskConfig(AppConfig):
    """On top of every app: the dashboard with each app's to-dos, the navigation (one table) and
    the notification inbox."""

    name = "desk"
    verbose_name = "Desk"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from portal.core.audit import register_labels

        register_labels(
            actions={"notification_settings": gettext_lazy("Notification settings changed")}
        )
