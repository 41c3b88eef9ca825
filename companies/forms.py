import datetime as dt
import json

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
                  "order", "evidence_source"]
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


class CompanyPickerInput(forms.TextInput):
    """A company typed by CVR number or name; with JavaScript an autocomplete over the scoped
    JSON endpoint ``companies:company-autocomplete`` (tom-select, ``static/js/company-picker.js``).

    Renders at most the one chosen company (never the register): the input's value is the
    chosen company's CVR, and ``data-selected`` carries its label for the widget. The value
    handed in is what ``CompanyPickerField.prepare_value`` returns: a ``Company`` when the
    value names one, else the raw text typed.
    """

    class Media:
        css = {"all": ["vendor/tom-select/tom-select.bootstrap5.min.css"]}
        js = ["vendor/tom-select/tom-select.base.min.js", "js/company-picker.js"]

    def format_value(self, value):
        if isinstance(value, Company):
            return value.cvr
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        context = super().get_context(name, value, attrs)
        selected = [company_choice(value)] if isinstance(value, Company) else []
        context["widget"]["attrs"].update({
            "data-company-picker": "",
            "data-url": reverse("companies:company-autocomplete"),
            "data-selected": json.dumps(selected),
            "data-no-results": _("Ingen virksomheder fundet"),
            "data-loading": _("Søger …"),
            "autocomplete": "off",
        })
        context["widget"]["attrs"].setdefault("placeholder", _("Navn eller CVR-nummer"))
        return context


def company_choice(company: Company) -> dict:
    """One company as the autocomplete shows it: ``{"id", "cvr", "name", "city", "label"}``;
    ``label`` is "Name (CVR 12345678, City)", so companies with the same name can be told
    apart."""
    details = ", ".join(part for part in (f"CVR {company.cvr}", company.city) if part)
    return {"id": company.pk, "cvr": company.cvr, "name": company.name, "city": company.city,
            "label": f"{company.name} ({details})"}


class CompanyPickerField(forms.Field):
    """One company of ``queryset``, picked by CVR number (as ``CvrField`` reads it), by its id
    (links such as ``?company=12`` from other pages) or by a name that names exactly one.

    Cleans to the ``Company`` or ``None``. Never loads more than two companies: the register
    may hold tens of thousands (issue 14).
    """

    widget = CompanyPickerInput
    default_error_messages = {
        "unknown": _("Ingen virksomhed passer på “%(value)s”. Skriv CVR-nummeret eller vælg "
                     "virksomheden på listen."),
        "ambiguous": _("Flere virksomheder passer på “%(value)s”. Skriv CVR-nummeret eller "
                       "vælg virksomheden på listen."),
    }

    def __init__(self, *, queryset, **kwargs):
        kwargs.setdefault("help_text", _("Skriv virksomhedens navn eller CVR-nummer."))
        super().__init__(**kwargs)
        self.queryset = queryset
        self._resolved: dict[str, Company | None] = {}

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._resolved = {}
        return result

    def _matches(self, text: str) -> list[Company]:
        if text in self._resolved:
            company = self._resolved[text]
            return [company] if company else []
        digits = normalise_cvr(text)
        if len(digits) == 8 and digits.isdigit():
            matches = list(self.queryset.filter(cvr=digits)[:1])
        elif text.isdigit():
            matches = list(self.queryset.filter(pk=int(text))[:1]) if len(text) < 10 else []
        else:
            matches = (list(self.queryset.filter(name__iexact=text)[:2])
                       or list(self.queryset.filter(name__icontains=text)[:2]))
        self._resolved[text] = matches[0] if len(matches) == 1 else None
        return matches

    def prepare_value(self, value):
        if isinstance(value, Company) or value in self.empty_values:
            return value
        text = str(value).strip()
        if "\x00" in text or len(text) > 200:
            return text
        matches = self._matches(text)
        return matches[0] if len(matches) == 1 else text

    def to_python(self, value):
        if isinstance(value, Company):
            return value
        text = str(value).strip() if value not in self.empty_values else ""
        if not text:
            return None
        if "\x00" in text or len(text) > 200:
            raise forms.ValidationError(self.error_messages["unknown"], code="unknown",
                                        params={"value": text[:20]})
        matches = self._matches(text)
        if len(matches) == 1:
            return matches[0]
        code = "ambiguous" if matches else "unknown"
        raise forms.ValidationError(self.error_messages[code], code=code, params={"value": text})

    def has_changed(self, initial, data):
        initial_company = self.prepare_value(initial)
        data_company = self.prepare_value(data)
        return getattr(initial_company, "pk", initial_company) != getattr(
            data_company, "pk", data_company)


class CompanyPickerModelField(CompanyPickerField):
    """``CompanyPickerField`` for a model form's foreign key (``field_classes``): accepts the
    ``limit_choices_to``/``to_field_name``/``blank`` arguments a ForeignKey passes."""

    def __init__(self, *, queryset, limit_choices_to=None, to_field_name=None, blank=False,
                 empty_label=None, **kwargs):
        super().__init__(queryset=queryset, **kwargs)
