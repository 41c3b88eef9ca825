"""Forms of the relations app: thin, on the shared validation (``csrprogram.validation``)."""

from __future__ import annotations

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from citizens.choices import JobCategory
from citizens.models import MAX_WEEKLY_HOURS, Citizen
from companies.forms import CompanyPickerField, CvrField
from companies.models import Company, ContactPerson
from csrprogram.importing import ImportFileField
from csrprogram.policy import users_with
from csrprogram.validation import Form, ModelForm, RecordedDateField, ScheduledDateField
from placements.choices import OpeningKind
from placements.forms import MAX_POSITIONS, OPENING_IMPORT_COLUMNS
from relations.choices import ContactKind, Rsvp
from relations.models import ContactLogEntry, Event, MentorCourse, Network


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


def _companies():
    return Company.objects.order_by("name", "pk")


class EventForm(ModelForm):
    """An event on one day, from a start time to an end time (Copenhagen time)."""

    day = ScheduledDateField(label=_("Dato"))
    starts = forms.TimeField(label=_("Starter kl."), widget=forms.TimeInput(
        attrs={"type": "time"}, format="%H:%M"))
    ends = forms.TimeField(label=_("Slutter kl."), widget=forms.TimeInput(
        attrs={"type": "time"}, format="%H:%M"))

    class Meta:
        model = Event
        fields = ["title", "kind", "programme", "network", "organiser", "place", "description",
                  "letter_signatory", "letter_body"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "letter_body": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["network"].queryset = Network.objects.order_by("name")
        self.order_fields(["title", "kind", "programme", "network", "day", "starts", "ends"])
        if self.instance.pk and self.instance.starts_at:
            # Editing: the stored times, in Copenhagen, as the form's day and clock times.
            starts = timezone.localtime(self.instance.starts_at)
            ends = timezone.localtime(self.instance.ends_at)
            self.initial.setdefault("day", starts.date())
            self.initial.setdefault("starts", starts.time().replace(second=0, microsecond=0))
            self.initial.setdefault("ends", ends.time().replace(second=0, microsecond=0))
        self.helper = _helper(_("Gem"))

    def clean(self):
        cleaned = super().clean()
        day, starts, ends = cleaned.get("day"), cleaned.get("starts"), cleaned.get("ends")
        if day and starts and ends:
            tz = timezone.get_current_timezone()
            cleaned["starts_at"] = timezone.make_aware(dt.datetime.combine(day, starts), tz)
            cleaned["ends_at"] = timezone.make_aware(dt.datetime.combine(day, ends), tz)
            if ends <= starts:
                self.add_error("ends", _("Arrangementet skal slutte efter det starter."))
        return cleaned


class InviteForm(Form):
    """Companies of the register to invite; one more by its CVR number."""

    companies = forms.ModelMultipleChoiceField(
        label=_("Virksomheder"), queryset=Company.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (eller Cmd) nede for at vælge flere."))
    cvr = CvrField(label=_("Eller CVR-nummer"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["companies"].queryset = _companies()
        self.helper = _helper(_("Invitér"))
        self.unknown_cvr = None

    def clean(self):
        cleaned = super().clean()
        chosen = list(cleaned.get("companies") or [])
        cvr = cleaned.get("cvr")
        if cvr:
            company = Company.objects.filter(cvr=cvr).first()
            if company is None:
                # The page offers to create the company with this CVR number.
                self.unknown_cvr = cvr
                self.add_error("cvr", _("Der er ingen virksomhed med CVR-nummer %(cvr)s i "
                                        "virksomhedsregistret.") % {"cvr": cvr})
            elif company not in chosen:
                chosen.append(company)
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Vælg mindst én virksomhed."))
        cleaned["chosen"] = chosen
        return cleaned


class RsvpForm(Form):
    YES, NO, ATTENDED, ABSENT = "yes", "no", "attended", "absent"
    answer = forms.ChoiceField(choices=[(YES, Rsvp.YES.label), (NO, Rsvp.NO.label),
                                        (ATTENDED, _("Deltog")), (ABSENT, _("Deltog ikke"))])
    answered_on = RecordedDateField(label=_("Svaret den"), required=False)


class SpotRowForm(Form):
    """One row of the "Spot et job" sheet: a company and the job it can offer."""

    company = forms.ModelChoiceField(label=_("Virksomhed"), queryset=Company.objects.none(),
                                     required=False)
    title = forms.CharField(label=_("Job"), max_length=200, required=False)
    tasks = forms.CharField(label=_("Opgaver"), max_length=4000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    weekly_hours = forms.IntegerField(label=_("Timer pr. uge"), min_value=1,
                                      max_value=MAX_WEEKLY_HOURS, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=OpeningKind.choices,
                             initial=OpeningKind.CSR_JOB)
    job_category = forms.ChoiceField(label=_("Jobkategori"), choices=JobCategory.choices)
    positions = forms.IntegerField(label=_("Pladser"), min_value=1, max_value=MAX_POSITIONS,
                                   initial=1)
    contact = forms.CharField(label=_("Kontakt (navn, telefon)"), max_length=200,
                              required=False)

    def __init__(self, *args, companies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = companies if companies is not None else _companies()

    # What a person writes on a row; the selects always post a value, so they do not count.
    WRITTEN = ("company", "title", "tasks", "weekly_hours", "contact")

    def is_filled(self) -> bool:
        return any(name in self.changed_data for name in self.WRITTEN)

    def clean(self):
        cleaned = super().clean()
        if not self.is_filled():
            return cleaned
        if not cleaned.get("company"):
            self.add_error("company", _("Et spottet job skal have en virksomhed."))
        if not cleaned.get("title"):
            self.add_error("title", _("Skriv, hvilket job virksomheden kan tilbyde."))
        if not cleaned.get("weekly_hours"):
            self.add_error("weekly_hours", _("Skriv timetallet (1–37 timer om ugen)."))
        return cleaned

    def opening_data(self) -> dict:
        data = self.cleaned_data
        return {"company": data["company"], "title": data["title"], "tasks": data["tasks"],
                "weekly_hours": data["weekly_hours"], "kind": data["kind"],
                "job_category": data["job_category"], "positions": data["positions"] or 1,
                "notes": data["contact"]}


class BaseSpotFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict]:
        """The filled-in rows (untouched rows of the sheet are skipped)."""
        return [form.opening_data() for form in self.forms if form.is_filled()]


SpotFormSet = forms.formset_factory(SpotRowForm, formset=BaseSpotFormSet, extra=5,
                                    max_num=50, absolute_max=50)


class SpotImportForm(Form):
    columns = OPENING_IMPORT_COLUMNS
    file = ImportFileField(help_text=_("Udfyldte ”Spot et job”-ark (CSV eller XLSX)."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Importér"))


class ContactedForm(Form):
    contacted_on = RecordedDateField(label=_("Kontaktet den"))
    kind = forms.ChoiceField(label=_("Kontaktform"), choices=ContactKind.choices,
                             initial=ContactKind.PHONE)
    summary = forms.CharField(label=_("Kort referat"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Gem"))


class ContactLogForm(ModelForm):
    class Meta:
        model = ContactLogEntry
        fields = ["kind", "occurred_on", "company_person", "summary", "next_step",
                  "next_step_on"]
        field_classes = {"occurred_on": RecordedDateField, "next_step_on": ScheduledDateField}
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Gem"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("next_step_on") and not cleaned.get("next_step", "").strip():
            self.add_error("next_step", _("Skriv, hvad det næste skridt er."))
        return cleaned


class NextStepDoneForm(Form):
    done_on = RecordedDateField(label=_("Udført den"))


class ResponsibleForm(Form):
    consultant = forms.ModelChoiceField(label=_("Ansvarlig konsulent"),
                                        queryset=users_with("csrprogram.carry_caseload"))
    started_on = RecordedDateField(label=_("Fra"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = users_with("csrprogram.carry_caseload").order_by(
            "first_name", "last_name", "pk")
        self.fields["consultant"].label_from_instance = (
            lambda user: user.get_full_name() or user.email)
        self.helper = _helper(_("Gem"))


class NetworkForm(ModelForm):
    class Meta:
        model = Network
        fields = ["name", "kind", "organiser", "programmes", "description"]
        widgets = {"programmes": forms.CheckboxSelectMultiple,
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programmes"].queryset = programmes
        self.helper = _helper(_("Gem"))


class MemberForm(Form):
    """A company joining the network: picked by name or CVR (the register may be large)."""

    company = CompanyPickerField(label=_("Virksomhed"), queryset=Company.objects.none())
    joined_on = RecordedDateField(label=_("Indtrådt"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = _companies()
        self.helper = _helper(_("Tilføj medlem"))


def offer_only(field: forms.ModelChoiceField, offered, empty_label: str) -> None:
    """Validate against the field's (broad) queryset but offer only ``offered`` in the
    select: a value outside the offer (a stale page, a forged post) reaches the service,
    which answers with its Danish message instead of "Vælg et gyldigt valg"."""
    field.widget.choices = [("", empty_label)] + [
        (item.pk, field.label_from_instance(item)) for item in offered]


class LeaveForm(Form):
    left_on = RecordedDateField(label=_("Udtrådt den"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Registrér udtrædelse"))


class RepresentativeForm(Form):
    """The company's representative in the network: one of its contact persons, or none."""

    representative = forms.ModelChoiceField(
        label=_("Repræsentant"), queryset=ContactPerson.objects.none(), required=False)

    def __init__(self, *args, offered, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["representative"]
        field.queryset = ContactPerson.objects.all()
        field.label_from_instance = lambda contact: (
            f"{contact.name}, {contact.job_title}" if contact.job_title else contact.name)
        offer_only(field, offered, _("Ingen repræsentant"))
        self.helper = _helper(_("Gem"))


class StoryForm(Form):
    """A citizen who tells their story at the event, among the citizens with the consent."""

    citizen = forms.ModelChoiceField(label=_("Borger"), queryset=Citizen.objects.none())
    note = forms.CharField(label=_("Bemærkning"), max_length=300, required=False,
                           help_text=_("Fx hvad borgeren fortæller om. Vises kun for "
                                       "jobcentrets medarbejdere."))

    def __init__(self, *args, citizens, offered, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["citizen"]
        field.queryset = citizens
        offer_only(field, offered, _("Vælg borger"))
        self.helper = _helper(_("Tilføj"))


class MentorCourseForm(ModelForm):
    """A course and its participants, one per line: ``CVR-nummer; navn; stilling``."""

    participants = forms.CharField(
        label=_("Deltagere"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Én deltager pr. linje: CVR-nummer; navn; stilling (stilling kan "
                    "udelades)."))

    class Meta:
        model = MentorCourse
        fields = ["title", "programme", "organiser", "place", "starts_on", "ends_on"]
        field_classes = {"starts_on": ScheduledDateField, "ends_on": ScheduledDateField}

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.helper = _helper(_("Gem"))

    def clean_participants(self):
        cvr_field = CvrField()
        trainees, problems = [], []
        lines = [line for line in self.cleaned_data["participants"].splitlines() if line.strip()]
        for number, line in enumerate(lines, start=1):
            parts = [part.strip() for part in line.split(";")]
            if len(parts) < 2 or not parts[1]:
                problems.append(_("Linje %(n)s: skriv CVR-nummer; navn.") % {"n": number})
                continue
            try:
                cvr = cvr_field.clean(parts[0])
            except forms.ValidationError as error:
                problems.append(_("Linje %(n)s: %(error)s") % {"n": number,
                                                               "error": " ".join(error)})
                continue
            company = Company.objects.filter(cvr=cvr).first()
            if company is None:
                problems.append(_("Linje %(n)s: der er ingen virksomhed med CVR-nummer "
                                  "%(cvr)s i registret.") % {"n": number, "cvr": cvr})
                continue
            trainees.append({"company": company, "name": parts[1][:200],
                             "job_title": parts[2][:100] if len(parts) > 2 else ""})
        if problems:
            raise forms.ValidationError(problems)
        if not trainees:
            raise forms.ValidationError(_("Et mentorkursus skal have mindst én deltager."))
        return trainees

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("Kurset kan ikke slutte før det starter."))
        return cleaned


class CompleteForm(Form):
    trainees = forms.ModelMultipleChoiceField(label=_("Gennemført af"), queryset=None,
                                              widget=forms.CheckboxSelectMultiple)
    completed_on = RecordedDateField(label=_("Gennemført den"))

    def __init__(self, *args, course, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainees"].queryset = course.trainees.all()
        self.helper = _helper(_("Registrér"))
