from django.urls import path

from filings.directory import views

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/export.xlsx", views.directory_export, name="directory_export"),
]
