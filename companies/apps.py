from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = _("Virksomheder")

    def ready(self):
        from companies import sections
        from companies.models import CsrCriterion
        from csrprogram.validation import register_criteria_count

        sections.autodiscover()
        # A programme's threshold cannot exceed the criteria there are.
        register_criteria_count(lambda: CsrCriterion.objects.filter(is_active=True).count())
