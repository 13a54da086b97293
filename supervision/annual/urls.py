"""URL patterns of the supervision area 'annual' (included by supervision/urls.py): annual reports
(R-M4) and yearly evaluations (R-M3)."""

from django.urls import path

from supervision.annual import views

urlpatterns: list = [
    path("supervision/annual/report/", views.annual_report_mine, name="annual_report_mine"),
    path("supervision/annual/", views.annual_report_list, name="annual_report_list"),
    path(
        "supervision/annual/<int:pk>/",
        views.annual_report_detail,
        name="annual_report_detail",
    ),
    path("supervision/evaluations/", views.evaluation_list, name="evaluation_list"),
    path(
        "supervision/evaluations/export/",
        views.evaluation_export,
        name="evaluation_export",
    ),
    path(
        "supervision/evaluations/<int:year>/<int:enterprise_id>/",
        views.evaluation_detail,
        name="evaluation_detail",
    ),
]
