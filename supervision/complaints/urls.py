"""URL patterns of the supervision area 'complaint' (included by supervision/urls.py).

Public pages live under complaints/, the bureaus' pages under supervision/complaints/."""

from django.urls import path

from supervision.complaints import public_views as public
from supervision.complaints import views

urlpatterns = [
    path("complaints/new/", public.complaint_create, name="complaint_create"),
    path("complaints/received/", public.complaint_received, name="complaint_received"),
    path("complaints/track/", public.complaint_track, name="complaint_track"),
    path(
        "complaints/confirm-email/<str:token>/",
        public.complaint_confirm_email,
        name="complaint_confirm_email",
    ),
    path("supervision/complaints/", views.complaint_list, name="complaint_list"),
    path("supervision/complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("supervision/complaints/<int:pk>/take/", views.complaint_take_view, name="complaint_take"),
    path(
        "supervision/complaints/<int:pk>/answer/",
        views.complaint_answer_view,
        name="complaint_answer",
    ),
    path(
        "supervision/complaints/<int:pk>/reassign/",
        views.complaint_reassign_view,
        name="complaint_reassign",
    ),
    path(
        "supervision/complaints/<int:pk>/attachments/<int:attachment_id>/",
        views.complaint_attachment,
        name="complaint_attachment",
    ),
]
