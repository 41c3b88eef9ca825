import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.choices import SizeBand
from companies.models import Company, CsrCriterion
from companies.validators import normalise_cvr, validate_cvr
from csrprogram.importing import Column, ImportChoiceField, ImportFileField, YesNoField
from csrprogram.validation import Form, ModelForm, RecordedDateField, within_period


class CvrField(forms.CharField):
    """A CVR number as people write it: "DK 30 00 00 13", "30.00.00.13", "dk30000013" or a
    spreadsheet's number. Cleans to the eight digits, checked by the modulus-11 rule.

    The one place where typed and imported CVR numbers are normalised (``normalise_cvr``).
    """

    default_validators = [validate_cvr]

    def __init__(self, **kwargs):
        # Longer than the stored eight digits so that "DK 35 48 76 38" can be typed.
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        # validate_cvr checks the eight digits; the length of what was typed does not matter.
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]

    def to_python(self, value):
        value = normalise_cvr(super().to_python(value))
        # Keep the error message short when a cell holds a long text instead of a number.
        return f"{value[:20]}…" if len(value) > 20 else value


class CompanyByCvrField(CvrField):
    """A company of the register, named by its CVR number (as ``CvrField`` reads it)."""

    default_error_messages = {"unknown": _(
        "Der er ingen virksomhed med CVR-nummer %(cvr)s i virksomhedsregistret. Opret eller "
        "importér virksomheden først.")}

    def __init__(self, *, queryset, **kwargs):
        super().__init__(**kwargs)
        self.queryset = queryset

    def clean(self, value):
        cvr = super().clean(value)
        if not cvr:
            return None
        company = self.queryset.filter(cvr=cvr).first()
        if company is None:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown",
                                        params={"cvr": cvr})
        return company


class CompanyForm(ModelForm):
    cvr = CvrField(label=_("CVR-nummer"), help_text=_("8 cifre."))
    website = forms.URLField(label=_("Hjemmeside"), required=False, assume_scheme="https")

    class Meta:
        model = Company
        fields = [
            "cvr", "p_number", "name", "address", "postcode", "city", "industry", "size_band",
            "is_social_economy", "website", "language", "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean_p_number(self):
        return (self.cleaned_data.get("p_number") or "").replace(" ", "")


class ContactPersonForm(Form):
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
            delete = bool(data.get("DELETE"))
            # A row ticked "Slet" is not validated, so it may lack a name; a new (or the empty
            # extra) row ticked "Slet" has nothing to delete.
            if not data or (delete and not data.get("id")):
                continue
            result.append({
                "id": data.get("id"), "delete": delete,
                "name": data.get("name", ""), "job_title": data.get("job_title", ""),
                "email": data.get("email", ""), "phone": data.get("phone", ""),
                "is_primary": bool(data.get("is_primary")),
            })
        return result


ContactFormSet = forms.formset_factory(
    ContactPersonForm, formset=BaseContactFormSet, extra=1, can_delete=True, max_num=20,
    validate_max=True,
)


class CompanyImportRowForm(Form):
    """One row of a company import file (see ``COMPANY_IMPORT_COLUMNS``)."""

    cvr = CvrField(label=_("CVR-nummer"))
    name = forms.CharField(label=_("Navn"), max_length=200)
    p_number = forms.CharField(label=_("P-nummer"), max_length=20, required=False)
    address = forms.CharField(label=_("Adresse"), max_length=200, required=False)
    postcode = forms.RegexField(label=_("Postnummer"), regex=r"^\d{4}$", required=False,
                                error_messages={"invalid": _("Et postnummer består af 4 cifre.")})
    city = forms.CharField(label=_("By"), max_length=100, required=False)
    industry = forms.CharField(label=_("Branche"), max_length=100, required=False)
    size_band = ImportChoiceField(label=_("Størrelse"), choices=SizeBand.choices,
                                  required=False)
    is_social_economy = YesNoField(label=_("Socialøkonomisk"), required=False)
    website = forms.URLField(label=_("Hjemmeside"), required=False, assume_scheme="https")
    contact_name = forms.CharField(label=_("Kontaktperson"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Kontaktpersonens e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Kontaktpersonens telefon"), max_length=30,
                                    required=False)

    def clean_cvr(self):
        value = self.cleaned_data["cvr"]
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

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("contact_email") or cleaned.get("contact_phone")) and not cleaned.get(
            "contact_name"
        ):
            self.add_error("contact_name", _("Skriv kontaktpersonens navn."))
        return cleaned


# The headers a company import file may use for each field of the row form (first = shown).
COMPANY_IMPORT_COLUMNS = (
    Column("cvr", ("cvr", "cvr-nummer", "cvr nr", "cvrnr"), required=True),
    Column("name", ("navn", "virksomhed", "virksomhedsnavn"), required=True),
    Column("p_number", ("p-nummer", "pnummer", "p-nr")),
    Column("address", ("adresse",)),
    Column("postcode", ("postnummer", "postnr")),
    Column("city", ("by",)),
    Column("industry", ("branche",)),
    Column("size_band", ("størrelse",)),
    Column("is_social_economy", ("socialøkonomisk", "socialøkonomisk virksomhed")),
    Column("website", ("hjemmeside", "web")),
    Column("contact_name", ("kontaktperson", "kontakt navn")),
    Column("contact_email", ("kontakt e-mail", "kontakt email", "e-mail")),
    Column("contact_phone", ("kontakt telefon", "telefon")),
)


class CompanyImportForm(Form):
    columns = COMPANY_IMPORT_COLUMNS
    file = ImportFileField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Importér")))


class CriterionForm(ModelForm):
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


class AssessmentForm(Form):
    """The programme, date and notes, plus a met/evidence pair per active criterion."""

    programme = forms.ModelChoiceField(label=_("Program"), queryset=None)
    assessed_on = RecordedDateField(label=_("Vurderingsdato"))
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

    def clean(self):
        cleaned = super().clean()
        within_period(self, "assessed_on", programme=cleaned.get("programme"))
        return cleaned

    def answers(self) -> dict[int, tuple[bool, str]]:
        return {
            criterion.pk: (self.cleaned_data.get(f"met_{criterion.pk}", False),
                           self.cleaned_data.get(f"evidence_{criterion.pk}", "").strip())
            for criterion in self.criteria
        }



class ContactInviteForm(Form):
    """A consultant's invitation of a person to the company portal."""

    name = forms.CharField(label=_("Navn"), max_length=200)
    email = forms.EmailField(label=_("E-mail"),
                             help_text=_("Invitationen med linket sendes hertil."))
    job_title = forms.CharField(label=_("Stilling"), max_length=100, required=False)


class InvitationPasswordForm(Form):
    """The invited contact's new password, typed twice (Django's password validators)."""

    password1 = forms.CharField(label=_("Adgangskode"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("Mindst 10 tegn, ikke kun tal og ikke for almindelig."))
    password2 = forms.CharField(label=_("Gentag adgangskoden"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("De to adgangskoder er ikke ens."))
        return cleaned
