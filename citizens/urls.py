"""URLs of the citizens app (mounted at the site root by csrprogram/urls.py).

No URL ever carries a CPR number: look-ups are POSTed.
"""

from django.urls import path

from citizens import views

app_name = "citizens"

urlpatterns = [
    path("borgere/", views.CitizenListView.as_view(), name="citizen-list"),
    path("borgere/cpr-opslag/", views.CitizenLookupView.as_view(), name="citizen-lookup"),
    path("borgere/ny/", views.CitizenCreateView.as_view(), name="citizen-create"),
    path("borgere/<int:pk>/", views.CitizenDetailView.as_view(), name="citizen-detail"),
    path("borgere/<int:pk>/rediger/", views.CitizenUpdateView.as_view(),
         name="citizen-update"),
    path("borgere/<int:pk>/cpr/", views.CitizenRevealCprView.as_view(),
         name="citizen-reveal-cpr"),
    path("borgere/<int:pk>/visitering/", views.EnrolmentCreateView.as_view(),
         name="enrolment-create"),
    path("borgere/<int:pk>/visitering/<int:enrolment_pk>/afslut/",
         views.EnrolmentCloseView.as_view(), name="enrolment-close"),
    path("borgere/<int:pk>/samtykke/", views.ConsentCreateView.as_view(),
         name="consent-create"),
    path("borgere/<int:pk>/samtykke/<int:consent_pk>/tilbagetraek/",
         views.ConsentWithdrawView.as_view(), name="consent-withdraw"),
    path("borgere/<int:pk>/adgangslog/", views.AccessLogView.as_view(), name="access-log"),
    path("borgere/<int:pk>/adgangslog.csv", views.AccessLogExportView.as_view(),
         name="access-log-export"),
]
