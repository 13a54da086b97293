"""URL patterns of the supervision area 'inspection' (included by supervision/urls.py)."""

urlpatterns: list = []
