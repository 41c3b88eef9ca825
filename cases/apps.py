from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Case stories, programme case descriptions and the case collection (casebank).

    Its own app because it sits above placements (a story is written from a placement) and
    binds stories and programme descriptions into published PDF collections.
    """

    name = "cases"
    verbose_name = _("Casebank")

    def ready(self) -> None:
        # A withdrawn publication consent unpublishes the citizen's stories (cases.signals).
        from cases import signals  # noqa: F401
