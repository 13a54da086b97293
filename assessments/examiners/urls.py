from django.urls import path

from assessments.examiners import views

urlpatterns = [
    path("examiners/", views.examiner_list, name="examiner_list"),
    path("examiners/new/", views.examiner_create, name="examiner_create"),
    path("examiners/<int:pk>/", views.examiner_detail, name="examiner_detail"),
    path("examiners/<int:pk>/edit/", views.examiner_edit, name="examiner_edit"),
    path("examiners/<int:pk>/scopes/new/", views.examiner_scope_add, name="examiner_scope_add"),
    path(
        "examiners/<int:pk>/scopes/<int:scope_id>/",
        views.examiner_scope_edit,
        name="examiner_scope_edit",
    ),
    path(
        "examiners/<int:pk>/scopes/<int:scope_id>/delete/",
        views.examiner_scope_delete,
        name="examiner_scope_delete",
    ),
    path("examiners/<int:pk>/revoke/", views.examiner_revoke, name="examiner_revoke"),
    path(
        "examiners/<int:pk>/id-number/",
        views.examiner_id_number,
        name="examiner_id_number",
    ),
]
