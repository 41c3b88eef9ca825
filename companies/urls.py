"""URLs of the companies app (mounted at the site root by csrprogram/urls.py)."""

app_name = "companies"

urlpatterns: list = []
