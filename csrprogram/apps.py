from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CsrProgramConfig(AppConfig):
    name = "csrprogram"
    verbose_name = _("CSR-program")

    def ready(self) -> None:
        from csrprogram import login_session, metrics, queues  # noqa: F401 (login_session: signals)

        metrics.autodiscover()
        queues.autodiscover()
