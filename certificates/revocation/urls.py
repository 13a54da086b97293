from django.urls import path

from certificates.revocation import views

urlpatterns = [
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("certificates/<int:pk>/replace/", views.certificate_replace, name="certificate_replace"),
]
