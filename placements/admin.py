from django.contrib import admin

from placements.models import Candidacy, JobOpening, Placement


@admin.register(JobOpening)
class JobOpeningAdmin(admin.ModelAdmin):
    list_display = ["title", "company", "kind", "weekly_hours", "positions",
                    "positions_filled", "status", "registered_on"]
    list_filter = ["kind", "status", "source", "programme"]
    search_fields = ["title", "company__name"]
    readonly_fields = ["positions_filled"]


@admin.register(Candidacy)
class CandidacyAdmin(admin.ModelAdmin):
    list_display = ["citizen", "opening", "status", "decided_on"]
    list_filter = ["status"]
    raw_id_fields = ["citizen", "opening"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["citizen", "company", "kind", "start_date", "status", "outcome",
                    "retained"]
    list_filter = ["kind", "status", "outcome", "programme"]
    raw_id_fields = ["citizen", "opening", "candidacy"]
