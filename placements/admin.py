from django.contrib import admin
from django.utils.translation import gettext_lazy as _l

from citizens.admin import CitizenRowAdmin
from placements.models import Candidacy, JobOpening, Placement


@admin.register(JobOpening)
class JobOpeningAdmin(admin.ModelAdmin):
    list_display = ["title", "company", "kind", "weekly_hours", "positions",
                    "positions_filled", "status", "registered_on"]
    list_filter = ["kind", "status", "source", "programme"]
    search_fields = ["title", "company__name"]
    readonly_fields = ["positions_filled"]


@admin.register(Candidacy)
class CandidacyAdmin(CitizenRowAdmin):
    """Candidacies; those of a restricted citizen read-only, unnamed (``CitizenRowAdmin``)."""

    list_display = ["citizen_label", "opening", "status", "decided_on"]
    list_filter = ["status"]
    list_select_related = ["opening__company"]
    search_fields = ["opening__title", "opening__company__name"]
    raw_id_fields = ["citizen", "opening"]
    citizen_list_purpose = _l("Visning af jobmatch i administrationen")
    citizen_row_purpose = _l("Jobmatch i administrationen")


@admin.register(Placement)
class PlacementAdmin(CitizenRowAdmin):
    """Placements; those of a restricted citizen read-only, unnamed (``CitizenRowAdmin``)."""

    list_display = ["citizen_label", "company", "kind", "start_date", "status", "outcome",
                    "retained"]
    list_filter = ["kind", "status", "outcome", "programme"]
    list_select_related = ["company"]
    search_fields = ["company__name", "opening__title"]
    raw_id_fields = ["citizen", "opening", "candidacy"]
    citizen_list_purpose = _l("Visning af forløb i administrationen")
    citizen_row_purpose = _l("Forløb i administrationen")
