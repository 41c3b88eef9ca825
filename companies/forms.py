import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.choices import SizeBand
from companies.models import Company, CsrCriterion
from companies.validators import normalise_cvr, validate_cvr

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CompanyForm(forms.ModelForm):
    # Longer than the stored eight digits so that "35 48 76 38" can be typed and normalised.
    cvr = forms.CharField(label=_("CVR-nummer"), max_length=20, help_text=_("8 cifre."))
    website = forms.URLField(label=_("Hjemmeside"), required=False, assume_scheme="https")

    class Meta:
        model = Company
        fields = [
            "cvr", "p_number", "name", "address", "postcode", "city", "industry", "size_band",
            "is_social_economy", "website", "language", "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_cvr(self):
        # Accept "35 48 76 38" and "DK35487638" as typed; store the eight digits.
        return normalise_cvr(self.cleaned_data["cvr"])

    def clean_p_number(self):
        return (self.cleaned_data.get("p_number") or "").replace(" ", "")


class ContactPersonForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label=_("Navn"), max_length=200)
    job_title = forms.CharField(label=_("Stilling"), max_length=100, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=30, required=False)
    is_primary = forms.BooleanField(label=_("Primær kontakt"), required=False)


class BaseContactFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [form.cleaned_data for form in self.forms
                if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        primaries = sum(1 for data in kept if data.get("is_primary"))
        if kept and primaries != 1:
            raise forms.ValidationError(
                _("Vælg præcis én primær kontaktperson."), code="one_primary"
            )

    def contacts(self) -> list[dict]:
        """The contacts as plain data for the service (deleted ones marked)."""
        result = []
        for form in self.forms:
            data = form.cleaned_data
            if not data:
                continue
            result.append({
                "id": data.get("id"), "delete": bool(data.get("DELETE")),
                "name": data["name"], "job_title": data.get("job_title", ""),
                "email": data.get("email", ""), "phone": data.get("phone", ""),
                "is_primary": bool(data.get("is_primary")),
            })
        return result


ContactFormSet = forms.formset_factory(
    ContactPersonForm, formset=BaseContactFormSet, extra=1, can_delete=True, max_num=20,
    validate_max=True,
)


class YesNoField(forms.Field):
    """Yes/no as people type it in a spreadsheet: ja/nej, x, 1/0, true/false, empty = no."""

    YES = {"ja", "j", "x", "1", "true", "yes", "y", "sand"}
    NO = {"nej", "n", "0", "false", "no", "", "falsk"}
    default_error_messages = {"invalid": _("Skriv ja eller nej (ikke “%(value)s”).")}

    def to_python(self, value):
        text = str(value or "").strip().lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid",
                                    params={"value": value})

    def validate(self, value):
        """Both answers are valid."""


class CompanyImportRowForm(forms.Form):
    """One row of a company import file."""

    cvr = forms.CharField(label=_("CVR-nummer"), max_length=20)
    name = forms.CharField(label=_("Navn"), max_length=200)
    p_number = forms.CharField(label=_("P-nummer"), max_length=20, required=False)
    address = forms.CharField(label=_("Adresse"), max_length=200, required=False)
    postcode = forms.RegexField(label=_("Postnummer"), regex=r"^\d{4}$", required=False,
                                error_messages={"invalid": _("Et postnummer består af 4 cifre.")})
    city = forms.CharField(label=_("By"), max_length=100, required=False)
    industry = forms.CharField(label=_("Branche"), max_length=100, required=False)
    size_band = forms.CharField(label=_("Størrelse"), required=False)
    is_social_economy = YesNoField(label=_("Socialøkonomisk"), required=False)
    website = forms.URLField(label=_("Hjemmeside"), required=False, assume_scheme="https")
    contact_name = forms.CharField(label=_("Kontaktperson"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Kontaktpersonens e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Kontaktpersonens telefon"), max_length=30,
                                    required=False)

    def clean_cvr(self):
        value = normalise_cvr(self.cleaned_data["cvr"])
        validate_cvr(value)
        if Company.objects.filter(cvr=value).exists():
            raise forms.ValidationError(
                _("Der findes allerede en virksomhed med CVR-nummer %(cvr)s."),
                code="duplicate_cvr", params={"cvr": value},
            )
        return value

    def clean_p_number(self):
        value = (self.cleaned_data.get("p_number") or "").replace(" ", "")
        if value and not (value.isdigit() and len(value) == 10):
            raise forms.ValidationError(_("Et P-nummer består af 10 cifre."),
                                        code="invalid_p_number")
        return value

    def clean_size_band(self):
        value = (self.cleaned_data.get("size_band") or "").strip()
        if not value:
            return ""
        for code, label in SizeBand.choices:
            if value.lower() in {code, str(label).lower()}:
                return code
        raise forms.ValidationError(
            _("Ukendt størrelse “%(value)s”. Brug en af: %(choices)s."),
            code="invalid_size_band",
            params={"value": value,
                    "choices": ", ".join(str(label) for _code, label in SizeBand.choices)},
        )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("contact_email") or cleaned.get("contact_phone")) and not cleaned.get(
            "contact_name"
        ):
            self.add_error("contact_name", _("Skriv kontaktpersonens navn."))
        return cleaned


class CompanyImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fil"),
        help_text=_("CSV (semikolon eller komma, UTF-8) eller Excel (.xlsx) med en "
                    "overskriftsrække. Kolonner: cvr, navn, p-nummer, adresse, postnummer, by, "
                    "branche, størrelse, socialøkonomisk, hjemmeside, kontaktperson, "
                    "kontakt e-mail, kontakt telefon."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Importér")))


class CriterionForm(forms.ModelForm):
    class Meta:
        model = CsrCriterion
        fields = ["title_da", "title_en", "description_da", "description_en", "is_active",
                  "order"]
        widgets = {"description_da": forms.Textarea(attrs={"rows": 3}),
                   "description_en": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Gem")))


class AssessmentForm(forms.Form):
    """The programme, date and notes, plus a met/evidence pair per active criterion."""

    programme = forms.ModelChoiceField(label=_("Program"), queryset=None)
    assessed_on = forms.DateField(label=_("Vurderingsdato"), widget=DATE_WIDGET)
    notes = forms.CharField(label=_("Bemærkninger"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, programmes, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.fields["programme"].queryset = programmes
        self.fields["assessed_on"].initial = timezone.localdate()
        for criterion in self.criteria:
            self.fields[f"met_{criterion.pk}"] = forms.BooleanField(
                label=_("Opfyldt"), required=False)
            self.fields[f"evidence_{criterion.pk}"] = forms.CharField(
                label=_("Dokumentation"), required=False,
                widget=forms.Textarea(attrs={"rows": 2}))

    def criterion_rows(self):
        for criterion in self.criteria:
            yield criterion, self[f"met_{criterion.pk}"], self[f"evidence_{criterion.pk}"]

    def clean_assessed_on(self):
        value: dt.date = self.cleaned_data["assessed_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("Vurderingsdatoen kan ikke ligge i fremtiden."),
                                        code="future")
        return value

    def answers(self) -> dict[int, tuple[bool, str]]:
        return {
            criterion.pk: (self.cleaned_data.get(f"met_{criterion.pk}", False),
                           self.cleaned_data.get(f"evidence_{criterion.pk}", "").strip())
            for criterion in self.criteria
        }

