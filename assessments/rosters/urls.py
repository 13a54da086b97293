from django.urls import path

from assessments.rosters import views

urlpatterns = [
    path("plans/<int:pk>/roster/", views.roster_detail, name="roster_detail"),
    path("plans/<int:pk>/roster/import/", views.roster_upload, name="roster_upload"),
    path("plans/<int:pk>/roster/import/<int:job_id>/", views.roster_job, name="roster_job"),
    path(
        "plans/<int:pk>/roster/import/<int:job_id>/status/",
        views.roster_job_status,
        name="roster_job_status",
    ),
    path(
        "plans/<int:pk>/roster/import/<int:job_id>/import/",
        views.roster_job_import,
        name="roster_job_import",
    ),
    path(
        "plans/<int:pk>/roster/import/<int:job_id>/report/",
        views.roster_job_report,
        name="roster_job_report",
    ),
    path("plans/<int:pk>/roster/template/", views.roster_template, name="roster_template"),
    path("plans/<int:pk>/roster/export/", views.roster_export, name="roster_export"),
    path("plans/<int:pk>/roster/photos/", views.roster_photos, name="roster_photos"),
    # Full ID numbers: deliberate, audited (PIPL).
    path(
        "plans/<int:pk>/roster/<int:entry_id>/id-number/",
        views.roster_entry_id_number,
        name="roster_entry_id_number",
    ),
    path(
        "plans/<int:pk>/roster/export/full/",
        views.roster_export_full,
        name="roster_export_full",
    ),
    path(
        "plans/<int:pk>/roster/import/<int:job_id>/report/full/",
        views.roster_job_report_full,
        name="roster_job_report_full",
    ),
]
