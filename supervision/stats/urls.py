"""URL patterns of the supervision area 'stats' (included by supervision/urls.py)."""

from django.urls import path

from supervision.stats import views

urlpatterns = [
    path("supervision/stats/", views.stats_dashboard, name="stats_dashboard"),
    path("supervision/stats.xlsx", views.stats_export, name="stats_export"),
]
