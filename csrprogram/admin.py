from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from csrprogram.models import Programme, ReportJob, Target, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "job_title", "is_active"]
    list_filter = ["groups", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "job_title", "phone")}),
        (_("Roller og rettigheder"), {"fields": ("is_active", "is_staff", "is_superuser",
                                                  "groups", "user_permissions")}),
        (_("Datoer"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",),
                             "fields": ("email", "password1", "password2")}),)


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "starts_on", "ends_on", "is_active"]
    search_fields = ["name", "municipality"]
    filter_horizontal = ["members"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["programme", "metric_key", "kind", "value", "deadline"]
    list_filter = ["programme", "kind"]
    search_fields = ["metric_key", "note"]
    raw_id_fields = ["reference"]


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["programme", "created_at", "status", "progress", "requested_by"]
    list_filter = ["status"]
    readonly_fields = ["programme", "requested_by", "status", "progress", "as_of", "language",
                       "file", "error", "created_at", "finished_at"]

    def has_add_permission(self, request):
        return False
