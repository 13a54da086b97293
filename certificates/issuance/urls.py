from django.urls import path

from certificates.issuance import views

urlpatterns = [
    path("plans/<int:pk>/certificates/issue/", views.certificate_issue, name="certificate_issue"),
    path("certificates/batches/", views.issue_batch_list, name="issue_batch_list"),
    path("certificates/batches/<int:pk>/", views.issue_batch_detail, name="issue_batch_detail"),
    path(
        "certificates/batches/<int:pk>/progress/",
        views.issue_batch_progress,
        name="issue_batch_progress",
    ),
    path("certificates/batches/<int:pk>/pdf/", views.issue_batch_pdf, name="issue_batch_pdf"),
]
