"""URLs of the placements app (mounted at the site root by csrprogram/urls.py)."""

from django.urls import path

from placements import views

app_name = "placements"

urlpatterns = [
    path("jobaabninger/", views.OpeningListView.as_view(), name="opening-list"),
    path("jobaabninger/ny/", views.OpeningCreateView.as_view(), name="opening-create"),
    path("jobaabninger/spot-et-job/", views.SpotJobView.as_view(), name="opening-spot"),
    path("jobaabninger/import/", views.OpeningImportView.as_view(), name="opening-import"),
    path("jobaabninger/<int:pk>/", views.OpeningDetailView.as_view(), name="opening-detail"),
    path("jobaabninger/<int:pk>/rediger/", views.OpeningUpdateView.as_view(),
         name="opening-update"),
    path("jobaabninger/<int:pk>/traek-tilbage/", views.OpeningWithdrawView.as_view(),
         name="opening-withdraw"),
    path("jobaabninger/<int:pk>/match/", views.OpeningMatchView.as_view(),
         name="opening-match"),
    path("kandidater/<int:pk>/praesenter/", views.CandidacyPresentView.as_view(),
         name="candidacy-present"),
    path("kandidater/<int:pk>/svar/", views.CandidacyDecisionView.as_view(),
         name="candidacy-decide"),
    path("kandidater/<int:pk>/traek-tilbage/", views.CandidacyWithdrawView.as_view(),
         name="candidacy-withdraw"),
    path("forloeb/", views.PlacementListView.as_view(), name="placement-list"),
    path("forloeb/<int:pk>/", views.PlacementDetailView.as_view(), name="placement-detail"),
    path("forloeb/<int:pk>/afslut/", views.PlacementEndView.as_view(), name="placement-end"),
    path("forloeb/<int:pk>/startdato/", views.PlacementStartChangeView.as_view(),
         name="placement-start"),
    path("portal/jobaabninger/", views.PortalOpeningListView.as_view(),
         name="portal-opening-list"),
    path("portal/jobaabninger/<int:pk>/", views.PortalOpeningDetailView.as_view(),
         name="portal-opening-detail"),
    path("portal/kandidater/<int:pk>/", views.PortalCandidacyView.as_view(),
         name="portal-candidacy"),
]
