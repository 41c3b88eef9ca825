from django.contrib import admin

from cases.models import CaseCollection, CaseStory, CompanyConsent, ProgrammeDescription


@admin.register(CaseStory)
class CaseStoryAdmin(admin.ModelAdmin):
    list_display = ("title", "programme", "status", "updated_at")
    list_filter = ("status", "programme")
    raw_id_fields = ("placement", "citizen")
    readonly_fields = ("status", "published_at", "published_by", "withdrawn_at")


@admin.register(CaseCollection)
class CaseCollectionAdmin(admin.ModelAdmin):
    list_display = ("title", "programme", "status", "pdf_status", "updated_at")
    exclude = ("pdf_file",)
    readonly_fields = ("status", "pdf_status", "pdf_error", "published_at")


admin.site.register(ProgrammeDescription)
admin.site.register(CompanyConsent)
