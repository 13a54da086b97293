from django.apps import AppConfig


class DeskConfig(AppConfig):
    """On top of every app: the dashboard with each app's to-dos, the navigation (one table) and
    the notification inbox."""

    name = "desk"
    verbose_name = "Desk"
