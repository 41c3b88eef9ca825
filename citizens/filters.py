import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from citizens.choices import EnrolmentStatus, ExitReason
from citizens.forms import consultant_choices
from citizens.models import Enrolment
from csrprogram.choices import TargetGroup
from csrprogram.models import Programme
from csrprogram.validation import LocalDateInput

# Dates typed in the active language's format (not the browser's picker, issue 13).
DATE = LocalDateInput()
JOB_OR_EDUCATION = "job_or_education"

# Filters on the enrolment: they must all hold for the *same* enrolment, so they are applied
# together as one EXISTS subquery in ``filter_queryset`` (not as separate joins).
ENROLMENT_LOOKUPS = {
    "programme": "programme",
    "status": "status",
    "enrolled_from": "enrolled_on__gte",
    "enrolled_to": "enrolled_on__lte",
    "exit_from": "exit_date__gte",
    "exit_to": "exit_date__lte",
}


def _noop(queryset, name, value):
    return queryset


class CitizenFilter(django_filters.FilterSet):
    """Filters of the citizen list. The CPR look-up is a separate POST form (never a URL)."""

    q = django_filters.CharFilter(label=_("Søg på navn"), method="search")
    target_group = django_filters.ChoiceFilter(label=_("Målgruppe"),
                                               choices=TargetGroup.choices)
    consultant = django_filters.ModelChoiceFilter(label=_("Jobkonsulent"),
                                                  queryset=consultant_choices())
    programme = django_filters.ModelChoiceFilter(
        label=_("Program"), method=_noop,
        queryset=Programme.objects.order_by("-starts_on", "name"))
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EnrolmentStatus.choices,
                                         method=_noop)
    enrolled_from = django_filters.DateFilter(label=_("Visiteret fra"), widget=DATE,
                                              method=_noop)
    enrolled_to = django_filters.DateFilter(label=_("Visiteret til og med"), widget=DATE,
                                            method=_noop)
    exit_reason = django_filters.ChoiceFilter(
        label=_("Udskrivningsårsag"), method=_noop,
        choices=[(JOB_OR_EDUCATION, _("Job eller uddannelse")), *ExitReason.choices])
    exit_from = django_filters.DateFilter(label=_("Udskrevet fra"), widget=DATE, method=_noop)
    exit_to = django_filters.DateFilter(label=_("Udskrevet til og med"), widget=DATE,
                                        method=_noop)

    class Meta:
        fields: list[str] = []

    def search(self, queryset, name, value):
        return queryset.filter(name__icontains=value.strip())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        conditions = {lookup: data[name] for name, lookup in ENROLMENT_LOOKUPS.items()
                      if data.get(name) not in (None, "")}
        reason = data.get("exit_reason")
        if reason == JOB_OR_EDUCATION:
            conditions["exit_reason__in"] = [ExitReason.ORDINARY_JOB, ExitReason.EDUCATION]
        elif reason:
            conditions["exit_reason"] = reason
        if conditions:
            queryset = queryset.filter(Exists(
                Enrolment.objects.filter(citizen=OuterRef("pk"), **conditions)))
        return queryset
