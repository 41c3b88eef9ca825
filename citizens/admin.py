from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext as _

from citizens import services
from citizens.choices import AccessAction
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

    def has_delete_permission(self, request, obj=None):
        # The access log protects the record; erasure is a rights request, not a delete button.
        return False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            services.access_log_record_many(
                citizen_ids=[citizen.pk for citizen in changelist.result_list],
                actor=request.user, action=AccessAction.LIST,
                purpose=_("Visning af borgerlisten i administrationen"))
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        # 200: the form was shown (or shown again with errors); 302: a change was saved.
        citizen = self.get_object(request, unquote(object_id))
        if citizen is not None and response.status_code in (200, 302):
            saved = request.method == "POST" and response.status_code == 302
            services.access_log_record(
                citizen=citizen, actor=request.user,
                action=AccessAction.CHANGE if saved else AccessAction.VIEW,
                purpose=_("Borgeren i administrationen"))
        return response


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
