from django.contrib import admin

from relations.models import (
    ContactLogEntry,
    Event,
    Invitation,
    MentorCourse,
    MentorTrainee,
    Network,
    NetworkMembership,
    Responsibility,
    SpottedOpening,
)


class MembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    raw_id_fields = ("company", "representative")


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "organiser")
    inlines = [MembershipInline]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    raw_id_fields = ("company", "contact")


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "programme")
    list_filter = ("kind", "programme")
    inlines = [InvitationInline]


class TraineeInline(admin.TabularInline):
    model = MentorTrainee
    extra = 0
    raw_id_fields = ("company",)


@admin.register(MentorCourse)
class MentorCourseAdmin(admin.ModelAdmin):
    list_display = ("title", "starts_on", "ends_on", "programme")
    inlines = [TraineeInline]


@admin.register(ContactLogEntry)
class ContactLogEntryAdmin(admin.ModelAdmin):
    list_display = ("company", "kind", "occurred_on", "staff", "next_step_on")
    raw_id_fields = ("company", "event")


admin.site.register(SpottedOpening)
admin.site.register(Responsibility)
