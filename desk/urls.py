from django.urls import path

from desk import inbox, notification_settings, views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("notifications/", inbox.notification_list, name="notification_list"),
    path(
        "notifications/<int:notification_id>/",
        inbox.notification_open,
        name="notification_open",
    ),
    path(
        "notifications/settings/",
        notification_settings.notification_settings,
        name="notification_settings",
    ),
    path("notifications/read-all/", inbox.notification_read_all_view, name="notification_read_all"),
]
