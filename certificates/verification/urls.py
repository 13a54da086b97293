"""Public pages: verification (no login), the QR link, holder download, the JSON API."""

from django.urls import path

from certificates.verification import views

urlpatterns = [
    path("verify/", views.verify_page, name="certificate_verify"),
    path("v/<str:token>/", views.verify_qr, name="certificate_qr"),
    path("verify/file/", views.verify_file_page, name="certificate_verify_file"),
    path("verify/download/", views.holder_download, name="certificate_holder_download"),
    path("api/v1/certificates/verify", views.api_verify, name="api_certificate_verify"),
    path("api/v1/openapi.json", views.openapi, name="api_openapi"),
    path("api/", views.api_docs, name="api_docs"),
]
