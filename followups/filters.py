import django_filters
from django.utils.translation import gettext_lazy as _

from citizens.selectors import citizen_named_q
from companies.filters import CompanyPickerFilter
from csrprogram.models import Programme
from csrprogram.policy import users_with
from followups.choices import Period, VisitKind
from followups.models import Visit


def _consultants(request):
    return users_with("csrprogram.carry_caseload").order_by("first_name", "last_name", "email")


def _programmes(request):
    return Programme.objects.order_by("-starts_on", "name")


class VisitFilter(django_filters.FilterSet):
    period = django_filters.ChoiceFilter(label=_("Hvornår"), choices=Period.choices,
                                         method="filter_period",
                                         empty_label=_("Alle åbne besøg"))
    consultant = django_filters.ModelChoiceFilter(label=_("Konsulent"),
                                                  field_name="placement__consultant",
                                                  queryset=_consultants)
    company = CompanyPickerFilter(label=_("Virksomhed"), field_name="placement__company")
    programme = django_filters.ModelChoiceFilter(label=_("Program"),
                                                 field_name="placement__programme",
                                                 queryset=_programmes)
    kind = django_filters.ChoiceFilter(label=_("Besøg"), choices=VisitKind.choices)
    q = django_filters.CharFilter(label=_("Søg på borger"), method="search_citizen")

    class Meta:
        model = Visit
        fields: list[str] = []

    def __init__(self, *args, today, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def search_citizen(self, queryset, name, value):
        return queryset.filter(citizen_named_q(value, path="placement__citizen__"))

    def filter_period(self, queryset, name, value):
        from followups.selectors import period_q

        queryset = queryset.filter(period_q(value, self.today))
        if value == Period.DONE:
            queryset = queryset.order_by("-done_on", "-pk")
        return queryset
