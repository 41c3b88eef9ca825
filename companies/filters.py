import django_filters
from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies import selectors
from companies.forms import CompanyPickerField
from companies.models import Company
from companies.validators import normalise_cvr
from csrprogram.policy import users_with

# "Ingen kontakt i N måneder": the company relationship is kept warm between meetings.
NO_CONTACT_MONTHS = [("3", _("3 måneder")), ("6", _("6 måneder")), ("12", _("12 måneder"))]


class CertificateState:
    VALID = "valid"
    NOT_VALID = "not_valid"
    NEVER = "never"
    CHOICES = [
        (VALID, _("Har gyldigt certifikat")),
        (NOT_VALID, _("Certifikat udløbet eller tilbagekaldt")),
        (NEVER, _("Aldrig certificeret")),
    ]


class CompanyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Søg (navn eller CVR)"), method="filter_search")
    certificate = django_filters.ChoiceFilter(
        label=_("Certifikat"), choices=CertificateState.CHOICES, method="filter_certificate",
        empty_label=_("Alle"),
    )
    city = django_filters.ChoiceFilter(label=_("By"), empty_label=_("Alle"))
    industry = django_filters.ChoiceFilter(label=_("Branche"), empty_label=_("Alle"))
    is_social_economy = django_filters.BooleanFilter(
        label=_("Socialøkonomisk"),
        widget=forms.Select(choices=[("", _("Alle")), ("true", _("Ja")), ("false", _("Nej"))]),
    )

    responsible_consultant = django_filters.ModelChoiceFilter(
        label=_("Ansvarlig konsulent"), queryset=users_with("csrprogram.carry_caseload")
        .order_by("first_name", "last_name", "pk"), empty_label=_("Alle"))
    no_contact = django_filters.ChoiceFilter(
        label=_("Ingen kontakt i"), choices=NO_CONTACT_MONTHS, method="filter_no_contact",
        empty_label=_("Alle"))

    class Meta:
        model = Company
        fields = ["q", "certificate", "city", "industry", "is_social_economy",
                  "responsible_consultant", "no_contact"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        options = selectors.filter_options()
        self.filters["city"].extra["choices"] = [(c, c) for c in options["cities"]]
        self.filters["industry"].extra["choices"] = [(i, i) for i in options["industries"]]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = Q(name__icontains=value)
        digits = normalise_cvr(value)
        if digits.isdigit():
            condition |= Q(cvr__startswith=digits) | Q(p_number__startswith=digits)
        return queryset.filter(condition)

    def filter_no_contact(self, queryset, name, value):
        """Companies never contacted, or last contacted more than ``value`` months ago."""
        since = timezone.localdate() - relativedelta(months=int(value))
        return queryset.filter(Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=since))

    def filter_certificate(self, queryset, name, value):
        if value == CertificateState.VALID:
            return queryset.filter(valid_certificate_until__isnull=False)
        if value == CertificateState.NOT_VALID:
            return queryset.filter(valid_certificate_until__isnull=True, certificate_count__gt=0)
        if value == CertificateState.NEVER:
            return queryset.filter(certificate_count=0)
        return queryset


class CompanyPickerFilter(django_filters.Filter):
    """A list filter on one company, picked by name or CVR (``CompanyPickerField``): the
    page renders the chosen company only, never the register (issue 14).

    ``queryset`` (a queryset or a callable taking the request) bounds what can be picked;
    by default every company.
    """

    field_class = CompanyPickerField

    def __init__(self, *args, queryset=None, **kwargs):
        self.queryset = queryset
        super().__init__(*args, **kwargs)

    def get_queryset(self, request):
        queryset = self.queryset
        if callable(queryset):
            return queryset(request)
        return Company.objects.all() if queryset is None else queryset

    @property
    def field(self):
        if not hasattr(self, "_field"):
            request = getattr(self.parent, "request", None)
            self.extra["queryset"] = self.get_queryset(request)
        return super().field
