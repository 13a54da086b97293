from django.urls import path

from filings.review import views

urlpatterns = [
    path(
        "filings/<int:pk>/district-review/",
        views.filing_district_review,
        name="filing_district_review",
    ),
    path("filings/<int:pk>/experts/", views.filing_assign_experts, name="filing_assign_experts"),
    path("filings/<int:pk>/opinion/", views.filing_expert_opinion, name="filing_expert_opinion"),
    path("filings/<int:pk>/decide/", views.filing_decide, name="filing_decide"),
    path("filings/<int:pk>/confirm/", views.filing_confirm, name="filing_confirm"),
    path("filings/<int:pk>/receipt.pdf", views.filing_receipt, name="filing_receipt"),
]
