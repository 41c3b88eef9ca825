from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from citizens import services
from citizens.choices import AccessAction
from citizens.models import AccessLog, Citizen, Consent, Enrolment


def _is_restricted(citizen) -> bool:
    return citizen is not None and citizen.is_restricted


class ReadOnlyWhenRestrictedInline(admin.TabularInline):
    """An inline of a citizen: read-only when the citizen is restricted or erased."""

    extra = 0

    def has_add_permission(self, request, obj=None):
        return not _is_restricted(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _is_restricted(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _is_restricted(obj) and super().has_delete_permission(request, obj)


class EnrolmentInline(ReadOnlyWhenRestrictedInline):
    model = Enrolment
    autocomplete_fields = ["referring_consultant"]


class ConsentInline(ReadOnlyWhenRestrictedInline):
    model = Consent
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Citizen)
class CitizenAdmin(admin.ModelAdmin):
    """Administration of citizens. The CPR number is shown masked only and is set in the
    application (where it is validated, encrypted and indexed), never here.

    A restricted (or erased) citizen is read-only here as in the application (issue 16) and
    is listed without the name (``Citizen.display_name``); a name search does not find them.
    Every list and every opened citizen writes access-log rows.
    """

    list_display = ["listed_name", "cpr_masked", "target_group", "consultant"]
    list_filter = ["target_group"]
    search_fields = ["name"]
    exclude = ["cpr_encrypted", "cpr_index"]
    readonly_fields = ["cpr_masked", "created_at", "updated_at"]
    inlines = [EnrolmentInline, ConsentInline]

    @admin.display(description=_l("navn"), ordering="name")
    def listed_name(self, citizen: Citizen) -> str:
        return citizen.display_name

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Restriction of processing (GDPR art. 18): the record can be read, not changed.
        return not _is_restricted(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # The access log protects the record; erasure is a rights request, not a delete button.
        return False

    def get_search_results(self, request, queryset, search_term):
        # A restricted citizen's name must not find them (it would tell who is restricted).
        results, may_have_duplicates = super().get_search_results(request, queryset,
                                                                  search_term)
        if search_term.strip():
            results = results.filter(restricted_at__isnull=True, erased_at__isnull=True)
        return results, may_have_duplicates

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
