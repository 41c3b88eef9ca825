"""URLs of the followups app (mounted at the site root by csrprogram/urls.py)."""

app_name = "followups"

urlpatterns: list = []
