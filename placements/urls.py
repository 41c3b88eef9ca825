"""URLs of the placements app (mounted at the site root by csrprogram/urls.py)."""

app_name = "placements"

urlpatterns: list = []
