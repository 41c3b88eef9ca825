from django.contrib import admin

from citizens.models import AccessLog, Citizen, Consent, Enrolment


class EnrolmentInline(admin.TabularInline):
    model = Enrolment
    extra = 0
    autocomplete_fields = ["referring_consultant"]


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
    """Administration of citizens. The CPR number is shown masked only and is set in the
    application (where it is validated, encrypted and indexed), never here."""

    list_display = ["name", "cpr_masked", "target_group", "consultant"]
    list_filter = ["target_group"]
    search_fields = ["name"]
    exclude = ["cpr_encrypted", "cpr_index"]
    readonly_fields = ["cpr_masked", "created_at", "updated_at"]
    inlines = [EnrolmentInline, ConsentInline]

    def has_add_permission(self, request):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "citizen", "actor", "action", "purpose"]
    list_filter = ["action"]
    readonly_fields = ["citizen", "actor", "at", "action", "purpose"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
