"""List filters of the casebank."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.choices import CollectionStatus, StoryStatus
from cases.models import CaseCollection, CaseStory
from csrprogram.models import Programme


class StoryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Søg (overskrift eller virksomhed)"),
                                  method="filter_search")
    programme = django_filters.ModelChoiceFilter(
        label=_("Program"), queryset=Programme.objects.order_by("-starts_on", "name"),
        empty_label=_("Alle"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=StoryStatus.choices,
                                         empty_label=_("Alle"))

    class Meta:
        model = CaseStory
        fields = ["q", "programme", "status"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value)
                               | Q(placement__company__name__icontains=value))


class CollectionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Søg (titel)"), field_name="title",
                                  lookup_expr="icontains")
    programme = django_filters.ModelChoiceFilter(
        label=_("Program"), queryset=Programme.objects.order_by("-starts_on", "name"),
        empty_label=_("Alle"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CollectionStatus.choices,
                                         empty_label=_("Alle"))

    class Meta:
        model = CaseCollection
        fields = ["q", "programme", "status"]
