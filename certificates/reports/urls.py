from django.urls import path

from certificates.reports import views

urlpatterns = [
    path("certificates/reports/", views.report_list, name="certificate_report_list"),
    path(
        "certificates/reports/<int:pk>/download/",
        views.report_download,
        name="certificate_report_download",
    ),
    # With full ID numbers: deliberate, audited (PIPL).
    path(
        "certificates/reports/<int:pk>/download/full/",
        views.report_download_full,
        name="certificate_report_download_full",
    ),
    path(
        "certificates/reports/<int:pk>/uploaded/",
        views.report_uploaded,
        name="certificate_report_uploaded",
    ),
]
