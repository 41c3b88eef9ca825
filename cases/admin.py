from django.contrib import admin
from django.utils.translation import gettext_lazy as _l

from cases.models import CaseCollection, CaseStory, CompanyConsent, ProgrammeDescription
from citizens.admin import CitizenRowAdmin


@admin.register(CaseStory)
class CaseStoryAdmin(CitizenRowAdmin):
    """Case stories; those of a restricted citizen read-only (``CitizenRowAdmin``). The list
    names no citizen (the stories are written to be anonymous)."""

    list_display = ("title", "programme", "status", "updated_at")
    list_filter = ("status", "programme")
    search_fields = ("title",)
    raw_id_fields = ("placement", "citizen")
    readonly_fields = ("status", "published_at", "published_by", "withdrawn_at")
    citizen_list_purpose = _l("Visning af casebeskrivelser i administrationen")
    citizen_row_purpose = _l("Casebeskrivelse i administrationen")


@admin.register(CaseCollection)
class CaseCollectionAdmin(admin.ModelAdmin):
    list_display = ("title", "programme", "status", "pdf_status", "updated_at")
    exclude = ("pdf_file",)
    readonly_fields = ("status", "pdf_status", "pdf_error", "published_at")


admin.site.register(ProgrammeDescription)
admin.site.register(CompanyConsent)
