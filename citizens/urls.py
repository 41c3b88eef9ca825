"""URLs of the citizens app (mounted at the site root by csrprogram/urls.py)."""

app_name = "citizens"

urlpatterns: list = []
