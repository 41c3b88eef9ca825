from django import forms
from django.utils.translation import gettext_lazy as _

from csrprogram.validation import Form, ScheduledDateField


class CertificateIssueForm(Form):
    valid_from = ScheduledDateField(
        label=_("Gyldig fra"), required=False,
        help_text=_("Tom betyder i dag. Gyldigheden følger programmets indstilling."),
    )


class CertificateRevokeForm(Form):
    reason = forms.CharField(
        label=_("Begrundelse"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Angiv en begrundelse for tilbagekaldelsen.")},
        help_text=_("Begrundelsen gemmes og vises ikke offentligt."),
    )
