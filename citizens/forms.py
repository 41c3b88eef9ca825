from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from citizens import cpr as cpr_tools
from citizens.choices import ConsentKind, EnrolmentStatus, ExitReason, JobCategory
from citizens.models import Citizen
from csrprogram.models import User
from csrprogram.validation import Form, ModelForm, RecordedDateField, within_period


class CprInput(forms.TextInput):
    """A CPR field that never sends the typed number back to the browser (e.g. when the form
    is shown again with errors): a response must not contain a CPR number."""

    def format_value(self, value):
        return None


def cpr_field(*, required: bool, label=None, help_text=None) -> forms.CharField:
    return forms.CharField(
        label=label or _("CPR-nummer"), required=required, max_length=11,
        help_text=help_text or _("DDMMÅÅ-XXXX. Af hensyn til databeskyttelse skal nummeret "
                                 "tastes igen, hvis formularen vises med fejl."),
        widget=CprInput(attrs={"autocomplete": "off", "inputmode": "numeric",
                               "spellcheck": "false"}),
    )


def _clean_cpr(value: str) -> str:
    if not value:
        return ""
    return cpr_tools.normalise_cpr(value)


def consultant_choices():
    return (User.objects.filter(groups__name="consultant", is_active=True)
            .order_by("first_name", "last_name", "email"))


class CitizenForm(ModelForm):
    wishes = forms.MultipleChoiceField(
        label=_("Jobønsker"), choices=JobCategory.choices, required=False,
        widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Citizen
        fields = ["name", "email", "phone", "address", "postcode", "city", "target_group",
                  "competencies", "wishes", "accommodation_needs", "weekly_hours",
                  "consultant"]
        widgets = {
            "competencies": forms.Textarea(attrs={"rows": 3}),
            "accommodation_needs": forms.Textarea(attrs={"rows": 3}),
            "weekly_hours": forms.NumberInput(attrs={"min": 1, "max": 37}),
        }

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = consultant_choices()
        creating = self.instance.pk is None
        self.fields["cpr"] = cpr_field(
            required=creating,
            label=None if creating else _("Ret CPR-nummer"),
            help_text=None if creating else _("Udfyld kun, hvis CPR-nummeret skal rettes."))
        self.order_fields(["name", "cpr"])
        if creating:
            self.fields["programme"] = forms.ModelChoiceField(
                label=_("Visiter til program"), queryset=programmes, required=False,
                help_text=_("Visiteringen kan også registreres senere."))
            self.fields["enrolled_on"] = RecordedDateField(label=_("Visiteret den"),
                                                           required=False)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Gem")))

    def clean_cpr(self):
        return _clean_cpr(self.cleaned_data.get("cpr", ""))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("programme") and not cleaned.get("enrolled_on"):
            self.add_error("enrolled_on", _("Angiv visitationsdatoen."))
        within_period(self, "enrolled_on", programme=cleaned.get("programme"))
        return cleaned


class CprLookupForm(Form):
    cpr = cpr_field(required=True, help_text=_("Tast hele CPR-nummeret. Opslaget logges."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_cpr(self):
        return _clean_cpr(self.cleaned_data["cpr"])


class EnrolmentForm(Form):
    programme = forms.ModelChoiceField(label=_("Program"), queryset=None)
    enrolled_on = RecordedDateField(label=_("Visiteret den"))
    notes = forms.CharField(label=_("Noter"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Visiter")))

    def clean(self):
        cleaned = super().clean()
        within_period(self, "enrolled_on", programme=cleaned.get("programme"))
        return cleaned


class EnrolmentCloseForm(Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(EnrolmentStatus.CLOSED, EnrolmentStatus.CLOSED.label),
                 (EnrolmentStatus.DROPPED_OUT, EnrolmentStatus.DROPPED_OUT.label)])
    exit_date = RecordedDateField(label=_("Udskrevet den"))
    exit_reason = forms.ChoiceField(label=_("Udskrivningsårsag"), required=False,
                                    choices=[("", "---------"), *ExitReason.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Afslut visitering")))


class ConsentForm(Form):
    kind = forms.ChoiceField(label=_("Samtykke til"), choices=ConsentKind.choices)
    given_on = RecordedDateField(label=_("Givet den"))
    note = forms.CharField(label=_("Bemærkning"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Registrer samtykke")))


class ConsentWithdrawForm(Form):
    withdrawn_on = RecordedDateField(label=_("Trukket tilbage den"))


def validation_messages(error: ValidationError) -> list[str]:
    return list(error.messages)


class PurposeForm(Form):
    """Why a team leader exports a citizen's data (recorded in the access log)."""

    purpose = forms.CharField(
        label=_("Formål"), max_length=200,
        help_text=_("F.eks. »Anmodning om indsigt fra borgeren af 1.12.2026«. Skriv aldrig "
                    "CPR-nummeret."))


class RestrictionForm(Form):
    reason = forms.CharField(label=_("Begrundelse"), max_length=200,
                             help_text=_("Skriv aldrig CPR-nummeret."))


class ErasureRequestForm(Form):
    """The first step of an erasure: why (recorded; never what is erased)."""

    reason = forms.CharField(
        label=_("Begrundelse"), max_length=200,
        help_text=_("F.eks. »Borgerens anmodning om sletning af 1.12.2026«. Gemmes som "
                    "dokumentation for, at sletningen er sket. Skriv aldrig navn eller "
                    "CPR-nummer."))


class ErasureConfirmForm(Form):
    """The second step: the signed first step and an explicit confirmation."""

    token = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("Jeg bekræfter, at borgerens personoplysninger slettes endeligt. Det kan ikke "
                "fortrydes."),
        error_messages={"required": _("Sæt kryds for at bekræfte sletningen.")})


class RetentionDecisionForm(Form):
    decision = forms.ChoiceField(choices=[("approve", _("Godkend")), ("reject", _("Afvis"))],
                                 widget=forms.HiddenInput)
