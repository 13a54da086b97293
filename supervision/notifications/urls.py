"""URL patterns of the supervision area 'reminder' (included by supervision/urls.py)."""

from django.urls import path

from supervision.notifications import views as reminder_views

urlpatterns: list = [
    path("notifications/", reminder_views.notification_list, name="notification_list"),
    path(
        "notifications/<int:notification_id>/",
        reminder_views.notification_open,
        name="notification_open",
    ),
    path(
        "notifications/read-all/",
        reminder_views.notification_read_all_view,
        name="notification_read_all",
    ),
]
