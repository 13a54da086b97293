"""URL patterns of the supervision area 'notifications' (included by supervision/urls.py)."""

from django.urls import path

from supervision.notifications import views

urlpatterns: list = [
    path("notifications/", views.notification_list, name="notification_list"),
    path(
        "notifications/<int:notification_id>/",
        views.notification_open,
        name="notification_open",
    ),
    path(
        "notifications/read-all/",
        views.notification_read_all_view,
        name="notification_read_all",
    ),
]
