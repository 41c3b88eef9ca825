from __future__ import annotations

from operator import attrgetter

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from citizens import services
from citizens.choices import AccessAction
from citizens.models import AccessLog, Citizen, Consent, Enrolment
from citizens.selectors import citizen_named_q, citizen_sort_name


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


class CitizenRowAdmin(admin.ModelAdmin):
    """The administration of another model's rows that each belong to one citizen (a
    placement, a candidacy, a visit, a case story): the rows of a restricted (or erased)
    citizen are treated as ``CitizenAdmin`` treats the citizen (issue 16, GDPR art. 18).

    - Such a row is read-only: no change, no delete (the change page shows it read-only; a
      posted change or a delete is refused with 403).
    - The citizen is listed through ``display_name`` (the ``citizen_label`` column, sorted by
      ``citizen_sort_name``, never by the hidden name).
    - The search box also finds rows by the citizen's name (``citizen_named_q``), but never
      those of a restricted citizen.
    - The list logs a read of every citizen on the page, the change page one of its citizen.

    ``citizen_path`` leads from the row to its citizen, dotted (``"placement.citizen"``).
    """

    citizen_path = "citizen"
    citizen_list_purpose = _l("Visning af en liste i administrationen")
    citizen_row_purpose = _l("En række om borgeren i administrationen")

    @property
    def citizen_prefix(self) -> str:
        """The query path from the row to the citizen's fields (``"placement__citizen__"``)."""
        return self.citizen_path.replace(".", "__") + "__"

    def citizen_of(self, obj) -> Citizen | None:
        """The citizen the row ``obj`` belongs to (``None`` without a row)."""
        return None if obj is None else attrgetter(self.citizen_path)(obj)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The column's sort follows the subclass's path; the admin reads it from the function.
        prefix = cls.citizen_path.replace(".", "__") + "__"

        @admin.display(description=_l("borger"), ordering=citizen_sort_name(prefix))
        def citizen_label(self, obj) -> str:
            """The row's citizen as every list shows them (``Citizen.display_name``)."""
            return self.citizen_of(obj).display_name

        cls.citizen_label = citizen_label

    def get_list_select_related(self, request):
        selected = super().get_list_select_related(request)
        if selected is True:
            return True
        return [*(selected or ()), self.citizen_path.replace(".", "__")]

    def has_change_permission(self, request, obj=None):
        return (not _is_restricted(self.citizen_of(obj))
                and super().has_change_permission(request, obj))

    def has_delete_permission(self, request, obj=None):
        return (not _is_restricted(self.citizen_of(obj))
                and super().has_delete_permission(request, obj))

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset,
                                                                  search_term)
        if not search_term.strip():
            return results, may_have_duplicates
        if not self.get_search_fields(request):
            results = queryset.none()  # the parent returns every row without search fields
        named = queryset.filter(citizen_named_q(search_term, path=self.citizen_prefix))
        return results | named, may_have_duplicates

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            citizen_id = attrgetter(self.citizen_path + "_id")
            services.access_log_record_many(
                citizen_ids=[citizen_id(row) for row in changelist.result_list],
                actor=request.user, action=AccessAction.LIST,
                purpose=self.citizen_list_purpose)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        citizen = self.citizen_of(self.get_object(request, unquote(object_id)))
        if citizen is not None and response.status_code in (200, 302):
            saved = request.method == "POST" and response.status_code == 302
            services.access_log_record(
                citizen=citizen, actor=request.user,
                action=AccessAction.CHANGE if saved else AccessAction.VIEW,
                purpose=self.citizen_row_purpose)
        return response


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

    @admin.display(description=_l("navn"), ordering=citizen_sort_name())
    def listed_name(self, citizen: Citizen) -> str:
        """The citizen as the lists show them (``display_name``); sorted without the hidden
        name of a restricted citizen (``citizen_sort_name``)."""
        return citizen.display_name

    def get_ordering(self, request):
        # Not the model's ("name", "pk"): a restricted citizen would sit at the hidden name.
        return [citizen_sort_name(), "pk"]

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
