"""URLs of the followups app (mounted at the site root by csrprogram/urls.py)."""

from django.urls import path

from followups import views

app_name = "followups"

urlpatterns = [
    path("opfoelgning/", views.VisitListView.as_view(), name="visit-list"),
    path("opfoelgning/<int:pk>/", views.VisitDetailView.as_view(), name="visit-detail"),
    path("opfoelgning/<int:pk>/registrer/", views.VisitRecordView.as_view(),
         name="visit-record"),
    path("opfoelgning/<int:pk>/flyt/", views.VisitRescheduleView.as_view(),
         name="visit-reschedule"),
    path("opfoelgning/forloeb/<int:pk>/ekstra/", views.ExtraVisitView.as_view(),
         name="visit-extra"),
    path("opfoelgning/forloeb/<int:pk>/eftervaern/", views.AftercarePlanView.as_view(),
         name="aftercare-plan"),
    path("opfoelgning/kalender/", views.CalendarSettingsView.as_view(), name="calendar"),
    path("opfoelgning/kalender/slet/", views.CalendarRevokeView.as_view(),
         name="calendar-revoke"),
    path("kalender/<str:token>.ics", views.CalendarFeedView.as_view(), name="calendar-feed"),
]
