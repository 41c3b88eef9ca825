import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certificates import selectors
from certificates.choices import CertificateStatus
from certificates.models import Certificate
from csrprogram.models import Programme
from csrprogram.policy import users_with
from csrprogram.validation import LocalDateInput


class CertificateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Søg (virksomhed, CVR eller nummer)"),
                                  method="filter_search")
    programme = django_filters.ModelChoiceFilter(
        label=_("Program"), queryset=Programme.objects.order_by("-starts_on", "name"),
        empty_label=_("Alle"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CertificateStatus.choices,
                                         field_name="current_status",
                                         empty_label=_("Alle"))
    issued_from = django_filters.DateFilter(label=_("Udstedt fra"), field_name="issued_on",
                                            lookup_expr="gte", widget=LocalDateInput())
    issued_to = django_filters.DateFilter(label=_("Udstedt til og med"), field_name="issued_on",
                                          lookup_expr="lte", widget=LocalDateInput())
    active_on = django_filters.DateFilter(label=_("Gyldigt på dato"), method="filter_active_on",
                                          widget=LocalDateInput())
    assessed_by = django_filters.ModelChoiceFilter(
        label=_("Vurderet af"), field_name="assessment__assessed_by",
        queryset=users_with("csrprogram.carry_caseload").order_by(
            "first_name", "last_name", "email"),
        empty_label=_("Alle"))
    first = django_filters.BooleanFilter(
        label=_("Kun virksomhedens første certifikat i programmet"), method="filter_first",
        widget=django_filters.widgets.forms.CheckboxInput)

    class Meta:
        model = Certificate
        fields = ["q", "programme", "status", "issued_from", "issued_to", "active_on",
                  "assessed_by", "first"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(company__name__icontains=value) | Q(company__cvr=value)
                               | Q(number__iexact=value))

    def filter_active_on(self, queryset, name, value):
        # The certificate was valid on that day: within its dates, and neither revoked nor
        # replaced before it.
        return queryset.filter(
            Q(valid_from__lte=value, valid_until__gte=value),
            Q(revoked_at__isnull=True) | Q(revoked_at__date__gt=value),
            Q(superseded_at__isnull=True) | Q(superseded_at__date__gt=value),
        )

    def filter_first(self, queryset, name, value):
        return selectors.first_in_programme(queryset) if value else queryset


