from django.contrib import admin

from certificates.models import Certificate, CertificateCounter


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "company", "programme", "valid_from", "valid_until", "revoked_at"]
    list_filter = ["programme", "year"]
    search_fields = ["number", "company__name", "company__cvr"]
    # Certificates change only through the services (issue, renew, revoke).
    readonly_fields = [field.name for field in Certificate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CertificateCounter)
class CertificateCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "last_sequence"]

    def has_change_permission(self, request, obj=None):
        return False
