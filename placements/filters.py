import django_filters
from django.utils.translation import gettext_lazy as _

from citizens.selectors import citizen_named_q
from companies.filters import CompanyPickerFilter
from csrprogram.choices import TargetGroup
from csrprogram.models import Programme
from csrprogram.policy import users_with
from csrprogram.validation import LocalDateInput
from placements.choices import OpeningKind, OpeningStatus, PlacementStatus
from placements.models import JobOpening, Placement

# Dates typed in the active language's format (not the browser's picker, issue 13).
DATE = LocalDateInput()


def _programmes(request):
    return Programme.objects.order_by("-starts_on", "name")


class OpeningFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Søg i titel"), field_name="title",
                                  lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=OpeningKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OpeningStatus.choices)
    company = CompanyPickerFilter(label=_("Virksomhed"))
    programme = django_filters.ModelChoiceFilter(label=_("Program"), queryset=_programmes)
    hours_min = django_filters.NumberFilter(label=_("Mindst timer pr. uge"),
                                            field_name="weekly_hours", lookup_expr="gte")
    hours_max = django_filters.NumberFilter(label=_("Højst timer pr. uge"),
                                            field_name="weekly_hours", lookup_expr="lte")
    registered_from = django_filters.DateFilter(label=_("Registreret fra"), widget=DATE,
                                                field_name="registered_on", lookup_expr="gte")
    registered_to = django_filters.DateFilter(label=_("Registreret til og med"), widget=DATE,
                                              field_name="registered_on", lookup_expr="lte")

    class Meta:
        model = JobOpening
        fields: list[str] = []


def _consultants(request):
    return users_with("csrprogram.carry_caseload").order_by("first_name", "last_name", "email")


class PlacementFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Søg på borger"), method="search_citizen")
    consultant = django_filters.ModelChoiceFilter(label=_("Opfølgende konsulent"),
                                                  queryset=_consultants)
    target_group = django_filters.ChoiceFilter(label=_("Målgruppe"),
                                               field_name="citizen__target_group",
                                               choices=TargetGroup.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PlacementStatus.choices)
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=OpeningKind.choices)
    company = CompanyPickerFilter(label=_("Virksomhed"))
    programme = django_filters.ModelChoiceFilter(label=_("Program"), queryset=_programmes)
    start_from = django_filters.DateFilter(label=_("Start fra"), widget=DATE,
                                           field_name="start_date", lookup_expr="gte")
    start_to = django_filters.DateFilter(label=_("Start til og med"), widget=DATE,
                                         field_name="start_date", lookup_expr="lte")

    class Meta:
        model = Placement
        fields: list[str] = []

    def search_citizen(self, queryset, name, value):
        return queryset.filter(citizen_named_q(value, path="citizen__"))
