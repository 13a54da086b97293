"""URL patterns of the supervision area 'draw' (included by supervision/urls.py)."""

urlpatterns: list = []
