from django.urls import path

from assessments.agreements import views

urlpatterns = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/staff-results/", views.entrusted_results, name="entrusted_results"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path(
        "agreements/<int:pk>/documents/new/",
        views.agreement_document_upload,
        name="agreement_document_upload",
    ),
    path(
        "agreements/<int:pk>/documents/<int:document_id>/",
        views.agreement_document_download,
        name="agreement_document_download",
    ),
    path("agreements/<int:pk>/submit/", views.agreement_submit, name="agreement_submit"),
    path("agreements/<int:pk>/withdraw/", views.agreement_withdraw, name="agreement_withdraw"),
    path("agreements/<int:pk>/confirm/", views.agreement_confirm, name="agreement_confirm"),
    path("agreements/<int:pk>/approve/", views.agreement_approve, name="agreement_approve"),
    path("agreements/<int:pk>/return/", views.agreement_return, name="agreement_return"),
]
