"""URL patterns of the supervision area 'complaint' (included by supervision/urls.py)."""

urlpatterns: list = []
