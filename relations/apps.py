from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationsConfig(AppConfig):
    name = "relations"
    verbose_name = _("Virksomhedsrelationer")

    def ready(self) -> None:
        # A withdrawn consent to tell one's story removes the stories at coming events.
        from relations import receivers  # noqa: F401  (connects the signal receivers)
