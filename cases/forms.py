"""Forms of the casebank; all inherit the shared validation (``csrprogram.validation``)."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from cases.choices import DocumentLanguage
from cases.models import (
    NARRATIVE_MAX_WORDS,
    STORY_MAX_WORDS,
    CaseStory,
    ProgrammeDescription,
)
from cases.services import word_count
from csrprogram.validation import Form, ModelForm, RecordedDateField, bound_integer


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class StoryForm(ModelForm):
    """The story editor. The identifying-text check runs when the story is saved."""

    class Meta:
        model = CaseStory
        fields = ["title", "situation", "action", "result", "quote", "illustration",
                  "name_company"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in
                   ("situation", "action", "result")} | {
            "quote": forms.Textarea(attrs={"rows": 2}),
            "illustration": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Gem og kontrollér"))

    def clean(self):
        cleaned = super().clean()
        count = word_count(*(cleaned.get(name) or "" for name in CaseStory.TEXT_FIELDS))
        if count > STORY_MAX_WORDS:
            raise forms.ValidationError(
                _("Casebeskrivelsen er for lang: %(count)s ord. Højst %(limit)s ord i alt, så "
                  "den kan læses på en side eller to."),
                code="too_long", params={"count": count, "limit": STORY_MAX_WORDS})
        return cleaned


class ReturnForm(Form):
    comment = forms.CharField(label=_("Kommentar til konsulenten"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(Form):
    comment = forms.CharField(label=_("Begrundelse"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class DismissForm(Form):
    reason = forms.CharField(label=_("Begrundelse for falsk alarm"), max_length=300)


class CompanyConsentForm(Form):
    given_on = RecordedDateField(label=_("Givet den"))
    given_by = forms.CharField(label=_("Givet af (navn og stilling)"), max_length=200)
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Registrér samtykke"))


class DescriptionForm(ModelForm):
    class Meta:
        model = ProgrammeDescription
        fields = ["grantee", "project_title", "grant_amount", "target_figure",
                  "other_partners", "primary_activities", "summary", "core_elements",
                  "anchoring", "success_factors", "challenges"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in
                   ProgrammeDescription.NARRATIVE_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grant_amount"].widget.attrs.update({"min": 0})
        self.helper = _helper(_("Gem"))

    def clean_grant_amount(self):
        value = self.cleaned_data.get("grant_amount")
        if value is not None and not 0 <= value < 10**11:
            raise forms.ValidationError(_("Angiv et beløb mellem 0 og 100 mia. kr."))
        return value

    def clean(self):
        cleaned = super().clean()
        count = word_count(*(str(cleaned.get(name) or "")
                             for name in ProgrammeDescription.NARRATIVE_FIELDS))
        if count > NARRATIVE_MAX_WORDS:
            raise forms.ValidationError(
                _("Projektbeskrivelsen er for lang: %(count)s ord. Højst %(limit)s ord."),
                code="too_long", params={"count": count, "limit": NARRATIVE_MAX_WORDS})
        return cleaned


MAX_POSITION = 99


class CollectionForm(Form):
    """Title, foreword, language and the cases: a position number for each case to include
    (empty: left out), so the order is set without JavaScript."""

    title = forms.CharField(label=_("Titel"), max_length=200)
    foreword = forms.CharField(label=_("Forord"), required=False,
                               widget=forms.Textarea(attrs={"rows": 5}))
    language = forms.ChoiceField(label=_("Sprog i PDF'en"), choices=DocumentLanguage.choices)
    public_page = forms.BooleanField(
        label=_("Offentlig webside"), required=False,
        help_text=_("Når samlingen er offentliggjort, kan den læses på en adresse, der ikke "
                    "kan gættes."))

    def __init__(self, *args, stories=(), descriptions=(), programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.fields["programme"] = forms.ModelChoiceField(label=_("Program"),
                                                              queryset=programmes)
            self.order_fields(["programme"])
        self.case_fields = []
        for kind, objects in (("story", stories), ("description", descriptions)):
            for obj in objects:
                name = f"{kind}_{obj.pk}"
                field = forms.IntegerField(
                    label=str(obj), required=False,
                    help_text=(_("Casebeskrivelse") if kind == "story"
                               else _("Projektbeskrivelse")))
                bound_integer(field, low=1, high=MAX_POSITION)
                self.fields[name] = field
                self.case_fields.append(name)

    def clean(self):
        cleaned = super().clean()
        if word_count(cleaned.get("foreword") or "") > NARRATIVE_MAX_WORDS:
            self.add_error("foreword", _("Forordet er for langt: højst %(limit)s ord.")
                           % {"limit": NARRATIVE_MAX_WORDS})
        if not self.errors and not self.entries():
            raise forms.ValidationError(
                _("En casesamling skal indeholde mindst én case. Giv de cases, der skal med, "
                  "et nummer i rækkefølgen."), code="empty")
        return cleaned

    def entries(self) -> list[tuple[str, int]]:
        """The chosen cases as ("story" | "description", pk), in the order given."""
        chosen = []
        for name in self.case_fields:
            position = self.cleaned_data.get(name)
            if position:
                kind, pk = name.split("_", 1)
                chosen.append((position, name, kind, int(pk)))
        return [(kind, pk) for _position, _name, kind, pk in sorted(chosen)]

    def case_rows(self):
        return [self[name] for name in self.case_fields]
