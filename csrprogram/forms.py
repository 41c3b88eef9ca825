from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from csrprogram.choices import TargetGroup
from csrprogram.models import Programme


class ProgrammeForm(forms.ModelForm):
    target_groups = forms.MultipleChoiceField(
        label=_("Målgrupper"), choices=TargetGroup.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Programme
        fields = [
            "name", "description", "municipality", "starts_on", "ends_on", "funder",
            "total_budget", "eu_support", "other_funding", "geography", "target_groups",
            "partner_job_centres", "csr_threshold", "certificate_validity_months",
            "first_followup_days", "second_followup_months", "second_followup_days",
            "retention_months", "is_active",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Gem")))
