from django.contrib import admin
from django.utils.translation import gettext_lazy as _l

from citizens.admin import CitizenRowAdmin
from followups.models import CalendarFeed, Visit, VisitReschedule


class VisitRescheduleInline(admin.TabularInline):
    model = VisitReschedule
    extra = 0
    readonly_fields = ("previous_due_date", "new_due_date", "reason", "changed_by",
                       "changed_at")
    can_delete = False


@admin.register(Visit)
class VisitAdmin(CitizenRowAdmin):
    """Follow-up visits; those of a restricted citizen's placement read-only, unnamed
    (``CitizenRowAdmin``)."""

    list_display = ("placement", "citizen_label", "kind", "due_date", "status", "done_on",
                    "reminded_at", "escalated_at")
    list_filter = ("kind", "status", "match_quality")
    date_hierarchy = "due_date"
    raw_id_fields = ("placement", "recorded_by")
    readonly_fields = ("reminded_at", "escalated_at", "created_at")
    list_select_related = ("placement__citizen", "placement__company")
    search_fields = ("placement__company__name",)
    inlines = [VisitRescheduleInline]
    citizen_path = "placement.citizen"
    citizen_list_purpose = _l("Visning af opfølgningsbesøg i administrationen")
    citizen_row_purpose = _l("Opfølgningsbesøg i administrationen")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at")
    readonly_fields = ("user", "created_at")
    fields = ("user", "created_at")

    def has_add_permission(self, request):
        return False
