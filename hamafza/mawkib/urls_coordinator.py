"""URLs of the mawkib's coordinator pages (included by urls.py)."""

urlpatterns: list = []
