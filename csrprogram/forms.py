from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from csrprogram import emails
from csrprogram.choices import PlacementKind, TargetGroup
from csrprogram.metrics import registry
from csrprogram.models import Programme, Target
from csrprogram.validation import (
    ModelForm,
    ProgrammeDateField,
    SafeInputMixin,
    bound_integer,
    criteria_count,
)

# Bounds of a programme's settings: (lowest, highest). The threshold is bounded above by the
# number of active criteria as well.
PROGRAMME_SETTING_BOUNDS = {
    "csr_threshold": (1, 100),
    "certificate_validity_months": (1, 60),
    "first_followup_days": (1, 90),
    "second_followup_months": (1, 12),
    "second_followup_days": (0, 31),
    "retention_months": (1, 24),
    "spotted_followup_working_days": (1, 30),
    # Citizens' personal data: from a year up to fifty (the municipality's retention schedule).
    "personal_data_retention_months": (12, 600),
}


class LocalisedPasswordResetForm(SafeInputMixin, PasswordResetForm):
    """Sends the reset link in the user's language (``User.language``), not the language of
    the browser that asked, with the emails' greeting and sign-off."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email,
                  to_email, html_email_template_name=None):
        user = context["user"]
        context = {**context, "greeting_name": user.get_full_name(),
                   "sender_lines": emails.sender_lines()}
        with translation.override(emails.language_of(user)):
            super().send_mail(subject_template_name, email_template_name, context,
                              from_email, to_email, html_email_template_name)


class EmailAuthenticationForm(SafeInputMixin, AuthenticationForm):
    """The login form: the email address is compared case-insensitively (users are stored
    with lower-case addresses, ``UserManager``), so ``Konsulent@…`` logs in."""

    def clean_username(self):
        return (self.cleaned_data.get("username") or "").strip().lower()


class ProgrammeForm(ModelForm):
    target_groups = forms.MultipleChoiceField(
        label=_("Målgrupper"), choices=TargetGroup.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    retention_kinds = forms.MultipleChoiceField(
        label=_("Fastholdelse måles for"), required=False,
        choices=[(value, label) for value, label in PlacementKind.choices
                 if value != PlacementKind.INTERNSHIP],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kandidaten afsluttes 3 måneder efter start af et forløb af disse typer, "
                    "og fastholdelsen måles. En virksomhedspraktik lukker aldrig kandidaten."),
    )
    job_kinds = forms.MultipleChoiceField(
        label=_("Tæller som job"), choices=PlacementKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Forløbstyper, der tæller som lønnet job i »Borgere i job«."),
    )

    class Meta:
        model = Programme
        fields = [
            "name", "description", "municipality", "starts_on", "ends_on", "funder",
            "total_budget", "eu_support", "other_funding", "geography", "target_groups",
            "partner_job_centres", "csr_threshold", "certificate_validity_months",
            "first_followup_days", "second_followup_months", "second_followup_days",
            "retention_months", "retention_kinds", "job_kinds", "spotted_followup_working_days",
            "personal_data_retention_months", "is_active",
        ]
        field_classes = {"starts_on": ProgrammeDateField, "ends_on": ProgrammeDateField}
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in PROGRAMME_SETTING_BOUNDS.items():
            bound_integer(self.fields[name], low=low, high=high)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Gem")))

    def clean_csr_threshold(self):
        value = self.cleaned_data["csr_threshold"]
        available = criteria_count()
        # An empty catalogue (a programme set up before its criteria) bounds nothing yet.
        if available and value > available:
            raise forms.ValidationError(
                _("Der er kun %(count)s aktive CSR-kriterier; der kan ikke kræves flere."),
                code="above_criteria", params={"count": available})
        return value


class TargetForm(ModelForm):
    """A target of one programme. Validation lives in Target.clean (run by the service too)."""

    metric_key = forms.ChoiceField(
        label=_("Nøgletal"), choices=(),
        error_messages={"invalid_choice": _("Nøgletallet »%(value)s« findes ikke. Vælg et af "
                                            "programmets nøgletal.")},
    )

    class Meta:
        model = Target
        fields = ["metric_key", "kind", "value", "reference", "basis", "deadline", "note"]
        # The model checks that the deadline lies in the programme's period.
        field_classes = {"deadline": ProgrammeDateField}
        widgets = {
            "kind": forms.RadioSelect,
            "basis": forms.RadioSelect,
        }
        error_messages = {
            "reference": {"invalid_choice": _(
                "Vælg et andet måltal i samme program (et måltal kan ikke henvise til sig "
                "selv).")},
        }

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.programme = programme
        self.fields["metric_key"].choices = [("", "---------"), *registry.choices()]
        references = Target.objects.filter(programme=programme).order_by("metric_key",
                                                                          "deadline")
        if self.instance.pk:
            references = references.exclude(pk=self.instance.pk)
        self.fields["reference"].queryset = references
        self.fields["reference"].required = False
        self.fields["value"].help_text = _(
            "Et helt tal for et absolut mål; procentsatsen for et procentmål (25 % af 50 "
            "giver 13, der rundes op).")
        self.fields["metric_key"].help_text = _(
            "Hvert nøgletals definition står under formularen. En andel (%) får et mål i "
            "procent, f.eks. 60.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Gem måltal")))

    @property
    def metric_definitions(self) -> list[tuple[str, str, str]]:
        """(key, label, definition) of every metric a target can name, for the form page."""
        return [(metric.key, str(metric.label), str(metric.description))
                for metric in registry.all()]


class OneTimeCodeForm(SafeInputMixin, forms.Form):
    """A six-digit code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Kode"), max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "autofocus": True}),
        help_text=_("De 6 cifre fra godkenderappen, eller en af dine gendannelseskoder."),
    )

    def clean_code(self):
        # Recovery codes are shown as "abcd-1234"; people type them with or without the dash.
        return "".join((self.cleaned_data.get("code") or "").split()).replace("-", "").lower()
