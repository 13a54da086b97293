"""URL patterns of the supervision area 'reminder' (included by supervision/urls.py)."""

urlpatterns: list = []
