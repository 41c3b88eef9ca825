"""URLs of the certificates app (mounted at the site root by csrprogram/urls.py)."""

app_name = "certificates"

urlpatterns: list = []
