"""URL patterns of the supervision area 'inspection' (included by supervision/urls.py)."""

from django.urls import path

from supervision.inspections import views

urlpatterns = [
    path("supervision/inspections/", views.inspection_list, name="inspection_list"),
    path("supervision/inspections/<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path(
        "supervision/inspections/<int:pk>/record/",
        views.inspection_record,
        name="inspection_record",
    ),
    path("supervision/inspections/<int:pk>/findings/add/", views.finding_add, name="finding_add"),
    path(
        "supervision/inspections/<int:pk>/close/", views.inspection_close, name="inspection_close"
    ),
    path(
        "supervision/inspections/findings/<int:pk>/answer/",
        views.finding_answer,
        name="finding_answer",
    ),
    path(
        "supervision/inspections/findings/<int:pk>/close/",
        views.finding_close,
        name="finding_close",
    ),
    path(
        "supervision/inspections/findings/<int:pk>/return/",
        views.finding_return,
        name="finding_return",
    ),
    path(
        "supervision/inspections/files/<int:pk>/",
        views.finding_attachment,
        name="finding_attachment",
    ),
]
