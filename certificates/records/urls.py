from django.urls import path

from certificates.records import views

urlpatterns = [
    path("certificates/", views.certificate_list, name="certificate_list"),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate_detail"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    # The full ID number: deliberate, audited (PIPL).
    path(
        "certificates/<int:pk>/id-number/",
        views.certificate_id_number,
        name="certificate_id_number",
    ),
]
