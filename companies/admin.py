from django.contrib import admin

from companies.models import Company, ContactPerson


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
