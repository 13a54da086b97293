"""URL patterns of the supervision area 'sanctions' (included by supervision/urls.py): sanctions
(R-M2, R-M3) and their public list (R-M6)."""

from django.urls import path

from supervision.sanctions import report_views, views

urlpatterns: list = [
    path("supervision/sanctions/", views.sanction_list, name="sanction_list"),
    path("supervision/sanctions/new/", views.sanction_create, name="sanction_create"),
    path("supervision/sanctions/<int:pk>/", views.sanction_detail, name="sanction_detail"),
    path("public/sanctions/", views.public_sanction_list, name="public_sanction_list"),
    # Seed 004 §四(四): the city reports, the province decides.
    path(
        "supervision/sanction-reports/",
        report_views.sanction_report_list,
        name="sanction_report_list",
    ),
    path(
        "supervision/sanction-reports/<int:pk>/",
        report_views.sanction_report_detail,
        name="sanction_report_detail",
    ),
    path(
        "supervision/sanction-reports/<int:pk>/decide/",
        report_views.sanction_report_decide_view,
        name="sanction_report_decide",
    ),
]
