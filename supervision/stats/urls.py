"""URL patterns of the supervision area 'stats' (included by supervision/urls.py)."""

from django.urls import path

from supervision.stats import views as stats_views

urlpatterns = [
    path("supervision/stats/", stats_views.stats_dashboard, name="stats_dashboard"),
    path("supervision/stats.xlsx", stats_views.stats_export, name="stats_export"),
]
