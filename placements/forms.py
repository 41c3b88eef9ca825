from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from citizens.choices import JobCategory
from citizens.models import MAX_WEEKLY_HOURS
from companies.forms import CompanyByCvrField, CompanyPickerModelField
from companies.models import Company, ContactPerson
from csrprogram.importing import (
    Column,
    ImportChoiceField,
    ImportDateField,
    ImportFileField,
    YesNoField,
)
from csrprogram.validation import (
    Form,
    ModelForm,
    RecordedDateField,
    ScheduledDateField,
    bound_integer,
    within_period,
)
from placements.choices import OpeningKind, OpeningSource, PlacementOutcome
from placements.models import JobOpening

# Positions of one opening: a large employer's seasonal intake, not more.
MAX_POSITIONS = 999


def _helper(label, *, form_tag=True) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    if label:
        helper.add_input(Submit("submit", label))
    return helper


class OpeningFormMixin:
    """What the full opening form and the "Spot et job" sheet share: programme and company
    choices, bounded hours and positions, a registration date near the programme's period."""

    submit_label = _("Gem")

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["company"].queryset = Company.objects.all()
        bound_integer(self.fields["weekly_hours"], low=1, high=MAX_WEEKLY_HOURS)
        bound_integer(self.fields["positions"], low=1, high=MAX_POSITIONS)
        self.helper = _helper(self.submit_label)

    def clean(self):
        cleaned = super().clean()
        if "registered_on" in self.fields:
            within_period(self, "registered_on", programme=cleaned.get("programme"))
        return cleaned


class OpeningForm(OpeningFormMixin, ModelForm):
    class Meta:
        model = JobOpening
        fields = ["programme", "company", "title", "kind", "job_category", "tasks",
                  "weekly_hours", "positions", "can_accommodate", "source", "contact_person",
                  "registered_on", "closing_date", "notes"]
        field_classes = {"company": CompanyPickerModelField,
                         "registered_on": RecordedDateField,
                         "closing_date": ScheduledDateField}
        widgets = {
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The contact persons of the chosen company only (the posted one, else the opening's):
        # every company's contacts would be tens of thousands of options (issue 14).
        company = None
        if self.is_bound:
            company = self.fields["company"].prepare_value(
                self.data.get(self.add_prefix("company")))
        elif self.instance.company_id:
            company = self.instance.company
        contacts = self.fields["contact_person"]
        if isinstance(company, Company):
            contacts.queryset = ContactPerson.objects.filter(company=company).order_by("name")
        else:
            contacts.queryset = ContactPerson.objects.none()
            contacts.help_text = _("Vælg virksomheden og gem; derefter kan en kontaktperson "
                                   "vælges.")


class SpotJobForm(OpeningFormMixin, ModelForm):
    """The "Spot et job" sheet, quick to fill in on a phone at a company visit or event."""

    class Meta:
        model = JobOpening
        fields = ["programme", "company", "title", "kind", "job_category", "weekly_hours",
                  "positions", "tasks", "can_accommodate", "source"]
        field_classes = {"company": CompanyPickerModelField}
        widgets = {
            "tasks": forms.Textarea(attrs={"rows": 3}),
            "weekly_hours": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "positions": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    submit_label = _("Registrer job")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].initial = OpeningSource.SPOT_A_JOB


class OpeningImportRowForm(Form):
    """One row of a "Spot et job" import file (see ``OPENING_IMPORT_COLUMNS``)."""

    company = CompanyByCvrField(label=_("CVR-nummer"), queryset=Company.objects.all())
    kind = ImportChoiceField(label=_("Type"), choices=OpeningKind.choices)
    title = forms.CharField(label=_("Stillingsbetegnelse"), max_length=200)
    job_category = ImportChoiceField(label=_("Jobkategori"), choices=JobCategory.choices)
    tasks = forms.CharField(label=_("Arbejdsopgaver"), max_length=4000, required=False)
    weekly_hours = forms.IntegerField(label=_("Timer pr. uge"), min_value=1,
                                      max_value=MAX_WEEKLY_HOURS)
    positions = forms.IntegerField(label=_("Antal pladser"), min_value=1,
                                   max_value=MAX_POSITIONS,
                                   required=False)
    source = ImportChoiceField(label=_("Kilde"), choices=OpeningSource.choices,
                               required=False, empty_value=OpeningSource.SPOT_A_JOB)
    registered_on = ImportDateField(label=_("Registreret den"), required=False)
    closing_date = ImportDateField(label=_("Ansøgningsfrist"), required=False)
    can_accommodate = YesNoField(label=_("Skånehensyn"), required=False)

    def clean_positions(self):
        return self.cleaned_data.get("positions") or 1

    def clean(self):
        cleaned = super().clean()
        registered_on, closing_date = cleaned.get("registered_on"), cleaned.get("closing_date")
        if registered_on and closing_date and closing_date < registered_on:
            self.add_error("closing_date", _("Ansøgningsfristen kan ikke ligge før "
                                             "registreringsdatoen."))
        return cleaned


# The headers an openings import file may use for each field of the row form (first = shown).
OPENING_IMPORT_COLUMNS = (
    Column("company", ("cvr", "cvr-nummer", "cvr nr", "cvrnr"), required=True),
    Column("kind", ("type", "jobtype"), required=True),
    Column("title", ("stillingsbetegnelse", "stilling", "titel"), required=True),
    Column("job_category", ("jobkategori", "kategori"), required=True),
    Column("tasks", ("arbejdsopgaver", "opgaver")),
    Column("weekly_hours", ("timer pr. uge", "timer pr uge", "timer"), required=True),
    Column("positions", ("antal pladser", "pladser")),
    Column("source", ("kilde",)),
    Column("registered_on", ("registreret den", "dato")),
    Column("closing_date", ("ansøgningsfrist", "frist")),
    Column("can_accommodate", ("skånehensyn", "kan tage hensyn til skånebehov")),
)


class OpeningImportForm(Form):
    columns = OPENING_IMPORT_COLUMNS
    programme = forms.ModelChoiceField(label=_("Program"), queryset=None)
    file = ImportFileField(help_text=_("Udfyldte ”Spot et job”-ark."))

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.helper = _helper(_("Importér"))


class ProposeForm(Form):
    citizen = forms.IntegerField(widget=forms.HiddenInput)
    motivation = forms.CharField(
        label=_("Begrundelse (vises for virksomheden)"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Skriv aldrig helbredsoplysninger eller målgruppe her."))
    hours_override_reason = forms.CharField(
        label=_("Begrundelse, hvis jobbet har flere timer end borgeren kan"), required=False,
        max_length=300)


class DecisionForm(Form):
    """The consultant records the employer's answer, with its date."""

    ACCEPT, DECLINE = "accept", "decline"
    decision = forms.ChoiceField(
        label=_("Virksomhedens svar"), widget=forms.RadioSelect,
        choices=[(ACCEPT, _("Virksomheden har valgt kandidaten")),
                 (DECLINE, _("Virksomheden har fravalgt kandidaten"))])
    decided_on = RecordedDateField(label=_("Svaret den"))
    start_date = ScheduledDateField(label=_("Startdato"), required=False)
    planned_end = ScheduledDateField(label=_("Planlagt slutdato"), required=False)
    weekly_hours = forms.IntegerField(label=_("Timer pr. uge"), min_value=1,
                                      max_value=MAX_WEEKLY_HOURS,
                                      required=False,
                                      help_text=_("Tom: jobåbningens timetal."))
    decline_reason = forms.CharField(label=_("Begrundelse for fravalg"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Registrer svar"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.ACCEPT and not cleaned.get("start_date"):
            self.add_error("start_date", _("Angiv startdatoen."))
        if cleaned.get("decision") == self.DECLINE and not (
                cleaned.get("decline_reason") or "").strip():
            self.add_error("decline_reason", _("Angiv en begrundelse for fravalget."))
        return cleaned


class PortalAcceptForm(Form):
    start_date = ScheduledDateField(label=_("Hvornår kan kandidaten starte?"))
    planned_end = ScheduledDateField(label=_("Planlagt slutdato (valgfri)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(None, form_tag=False)


class PortalDeclineForm(Form):
    decline_reason = forms.CharField(label=_("Hvorfor passer kandidaten ikke?"),
                                     widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(None, form_tag=False)


class PlacementEndForm(Form):
    end_date = ScheduledDateField(label=_("Slutdato"))
    outcome = forms.ChoiceField(label=_("Resultat"), choices=PlacementOutcome.choices)
    note = forms.CharField(label=_("Bemærkning"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Afslut forløb"))


class PlacementStartForm(Form):
    start_date = ScheduledDateField(label=_("Ny startdato"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Ret startdato"))
