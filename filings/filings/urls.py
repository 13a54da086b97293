from django.urls import path

from filings.filings import views

urlpatterns = [
    path("filings/", views.filing_list, name="filing_list"),
    path("filings/new/", views.filing_create, name="filing_create"),
    path("filings/<int:pk>/", views.filing_detail, name="filing_detail"),
    path("filings/<int:pk>/edit/", views.filing_edit, name="filing_edit"),
    path("filings/<int:pk>/lines/new/", views.scope_line_add, name="scope_line_add"),
    path("filings/<int:pk>/lines/<int:line_id>/", views.scope_line_edit, name="scope_line_edit"),
    path(
        "filings/<int:pk>/lines/<int:line_id>/delete/",
        views.scope_line_delete,
        name="scope_line_delete",
    ),
    path("filings/<int:pk>/materials/new/", views.material_upload, name="material_upload"),
    path(
        "filings/<int:pk>/materials/<int:material_id>/",
        views.material_download,
        name="material_download",
    ),
    path(
        "filings/<int:pk>/materials/<int:material_id>/delete/",
        views.material_delete,
        name="material_delete",
    ),
    path("filings/<int:pk>/submit/", views.filing_submit, name="filing_submit"),
    path(
        "filings/<int:pk>/application.pdf",
        views.filing_application_pdf,
        name="filing_application_pdf",
    ),
]
