from django.urls import path

from filings import directory_views

urlpatterns = [
    path("directory/", directory_views.directory, name="directory"),
    path("directory/export.xlsx", directory_views.directory_export, name="directory_export"),
    path("filings/<int:pk>/receipt.pdf", directory_views.filing_receipt, name="filing_receipt"),
]
