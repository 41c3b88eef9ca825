from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from csrprogram.validation import Form, RecordedDateField, ScheduledDateField
from followups.choices import MatchQuality

RETENTION_CHOICES = [
    ("", _("Ikke vurderet endnu")),
    ("yes", _("Ja, borgeren er stadig i job")),
    ("no", _("Nej, borgeren er stoppet")),
]


class VisitRecordForm(Form):
    done_on = RecordedDateField(label=_("Besøgt den"))
    met_whom = forms.CharField(label=_("Hvem mødte du"), max_length=200, required=False,
                               help_text=_("F.eks. nærmeste leder og borgeren."))
    match_quality = forms.ChoiceField(label=_("Vurdering af matchet"),
                                      choices=MatchQuality.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Noter"), required=False,
                            widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("Skriv aldrig CPR-nummer eller helbredsoplysninger."))
    agreed_actions = forms.CharField(label=_("Aftalte handlinger"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    another_visit_needed = forms.BooleanField(label=_("Der er behov for et ekstra besøg"),
                                              required=False)
    next_visit_on = ScheduledDateField(label=_("Dato for det næste besøg"), required=False,
                                    help_text=_("Udfyldes, hvis der er behov for et ekstra "
                                                "besøg."))
    retained = forms.ChoiceField(
        label=_("Er borgeren stadig i job (fastholdelse)?"), choices=RETENTION_CHOICES,
        required=False,
        help_text=_("Bruges ved afslutningen efter 3 måneder. Lad feltet stå tomt, hvis det "
                    "ikke er afklaret."))

    def __init__(self, *args, ask_retention: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not ask_retention:
            del self.fields["retained"]

    def retained_value(self) -> bool | None:
        value = self.cleaned_data.get("retained", "")
        return {"yes": True, "no": False}.get(value)


class VisitRescheduleForm(Form):
    due_date = ScheduledDateField(label=_("Ny dato"))
    reason = forms.CharField(label=_("Begrundelse"), max_length=300,
                             help_text=_("F.eks. at lederen er på ferie."))


class ExtraVisitForm(Form):
    due_date = ScheduledDateField(label=_("Dato"))
    notes = forms.CharField(label=_("Formål med besøget"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))


class AftercareForm(Form):
    visits = forms.IntegerField(label=_("Antal besøg"), min_value=1, max_value=12,
                                initial=settings.FOLLOWUP_AFTERCARE_VISITS)
    interval_months = forms.IntegerField(label=_("Måneder mellem besøgene"), min_value=1,
                                         max_value=6,
                                         initial=settings.FOLLOWUP_AFTERCARE_INTERVAL_MONTHS)
