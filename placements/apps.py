from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacementsConfig(AppConfig):
    name = "placements"
    verbose_name = _("Job og forløb")

    def ready(self) -> None:
        from placements import receivers  # noqa: F401  (connects the signal receivers)
