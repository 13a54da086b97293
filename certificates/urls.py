from django.urls import path

from certificates import privacy_views, views

urlpatterns = [
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("certificates/<int:pk>/replace/", views.certificate_replace, name="certificate_replace"),
    path("plans/<int:pk>/certificates/issue/", views.certificate_issue, name="certificate_issue"),
    path("certificates/batches/", views.issue_batch_list, name="issue_batch_list"),
    path("certificates/batches/<int:pk>/", views.issue_batch_detail, name="issue_batch_detail"),
    path(
        "certificates/batches/<int:pk>/progress/",
        views.issue_batch_progress,
        name="issue_batch_progress",
    ),
    path("certificates/batches/<int:pk>/pdf/", views.issue_batch_pdf, name="issue_batch_pdf"),
    path("certificates/prefixes/", views.prefix_list, name="numbering_prefix_list"),
    path(
        "certificates/prefixes/<int:enterprise_id>/",
        views.prefix_edit,
        name="numbering_prefix_edit",
    ),
    path("certificates/reports/", views.report_list, name="certificate_report_list"),
    path(
        "certificates/reports/<int:pk>/download/",
        views.report_download,
        name="certificate_report_download",
    ),
    path(
        "certificates/reports/<int:pk>/uploaded/",
        views.report_uploaded,
        name="certificate_report_uploaded",
    ),
    # Full ID numbers: deliberate, audited (PIPL).
    path(
        "certificates/<int:pk>/id-number/",
        privacy_views.certificate_id_number,
        name="certificate_id_number",
    ),
    path(
        "certificates/reports/<int:pk>/download/full/",
        privacy_views.report_download_full,
        name="certificate_report_download_full",
    ),
]
