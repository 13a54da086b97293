from django.urls import path

from assessments.evidence import views

urlpatterns = [
    path("plans/<int:pk>/evidence/", views.plan_evidence, name="plan_evidence"),
    path(
        "plans/<int:pk>/sessions/<int:session_id>/evidence/new/",
        views.evidence_upload,
        name="evidence_upload",
    ),
    path(
        "plans/<int:pk>/evidence/<int:evidence_id>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "plans/<int:pk>/evidence/<int:evidence_id>/delete/",
        views.evidence_delete,
        name="evidence_delete",
    ),
]
