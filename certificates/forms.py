from django import forms
from django.utils.translation import gettext_lazy as _


class CertificateIssueForm(forms.Form):
    valid_from = forms.DateField(
        label=_("Gyldig fra"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Tom betyder i dag. Gyldigheden følger programmets indstilling."),
    )


class CertificateRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrundelse"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Angiv en begrundelse for tilbagekaldelsen.")},
        help_text=_("Begrundelsen gemmes og vises ikke offentligt."),
    )
