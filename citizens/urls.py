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
    # A citizen's rights (issue 16): team leaders.
    path("borgere/<int:pk>/rettigheder/", views.CitizenRightsView.as_view(),
         name="citizen-rights"),
    path("borgere/<int:pk>/rettigheder/indsigt.json", views.CitizenExportView.as_view(),
         name="citizen-export-json"),
    path("borgere/<int:pk>/rettigheder/indsigt.pdf",
         views.CitizenExportView.as_view(export_format="pdf"), name="citizen-export-pdf"),
    path("borgere/<int:pk>/rettigheder/begraensning/", views.CitizenRestrictView.as_view(),
         name="citizen-restrict"),
    path("borgere/<int:pk>/rettigheder/sletning/", views.CitizenEraseView.as_view(),
         name="citizen-erase"),
    path("borgere/sletninger/", views.ErasureListView.as_view(), name="erasure-list"),
    path("borgere/opbevaring/", views.RetentionReviewListView.as_view(),
         name="retention-review-list"),
    path("borgere/opbevaring/<int:pk>/", views.RetentionReviewDetailView.as_view(),
         name="retention-review-detail"),
]
