from django.contrib import admin

from companies.models import (
    Company,
    ContactPerson,
    CsrAssessment,
    CsrAssessmentAnswer,
    CsrCriterion,
)


class ContactPersonInline(admin.TabularInline):
    model = ContactPerson
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ["name", "cvr", "city", "industry", "is_social_economy"]
    list_filter = ["is_social_economy", "size_band", "city"]
    search_fields = ["name", "cvr", "p_number"]
    inlines = [ContactPersonInline]


@admin.register(CsrCriterion)
class CsrCriterionAdmin(admin.ModelAdmin):
    list_display = ["title_da", "title_en", "is_active", "order", "evidence_source"]
    list_editable = ["is_active", "order"]
    list_filter = ["is_active", "evidence_source"]


class CsrAssessmentAnswerInline(admin.TabularInline):
    model = CsrAssessmentAnswer
    extra = 0
    readonly_fields = ["criterion", "is_met", "evidence"]
    can_delete = False


@admin.register(CsrAssessment)
class CsrAssessmentAdmin(admin.ModelAdmin):
    list_display = ["company", "programme", "assessed_on", "met_count", "threshold"]
    list_filter = ["programme"]
    search_fields = ["company__name", "company__cvr"]
    readonly_fields = ["company", "programme", "assessed_by", "assessed_on", "met_count",
                       "threshold"]
    inlines = [CsrAssessmentAnswerInline]

    def has_delete_permission(self, request, obj=None):
        # Assessments are history.
        return False
