"""URLs of the casebank (mounted at the site root by csrprogram/urls.py)."""

from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("casebank/", views.StoryListView.as_view(), name="story-list"),
    path("casebank/forloeb/<int:placement_pk>/ny/", views.StoryCreateView.as_view(),
         name="story-create"),
    path("casebank/<int:pk>/", views.StoryDetailView.as_view(), name="story-detail"),
    path("casebank/<int:pk>/rediger/", views.StoryUpdateView.as_view(), name="story-update"),
    path("casebank/<int:pk>/send/", views.StorySubmitView.as_view(), name="story-submit"),
    path("casebank/<int:pk>/send-tilbage/", views.StoryReturnView.as_view(),
         name="story-return"),
    path("casebank/<int:pk>/offentliggoer/", views.StoryPublishView.as_view(),
         name="story-publish"),
    path("casebank/<int:pk>/traek-tilbage/", views.StoryWithdrawView.as_view(),
         name="story-withdraw"),
    path("casebank/fund/<int:pk>/falsk-alarm/", views.FindingDismissView.as_view(),
         name="finding-dismiss"),
    path("casebank/virksomheder/<int:pk>/samtykke/", views.CompanyConsentView.as_view(),
         name="company-consent"),
    path("casebank/programmer/<int:pk>/projektbeskrivelse/",
         views.DescriptionDetailView.as_view(), name="description-detail"),
    path("casebank/programmer/<int:pk>/projektbeskrivelse/rediger/",
         views.DescriptionUpdateView.as_view(), name="description-update"),
    path("casebank/samlinger/", views.CollectionListView.as_view(), name="collection-list"),
    path("casebank/samlinger/ny/", views.CollectionCreateView.as_view(),
         name="collection-create"),
    path("casebank/samlinger/<int:pk>/", views.CollectionDetailView.as_view(),
         name="collection-detail"),
    path("casebank/samlinger/<int:pk>/rediger/", views.CollectionUpdateView.as_view(),
         name="collection-update"),
    path("casebank/samlinger/<int:pk>/offentliggoer/", views.CollectionPublishView.as_view(),
         name="collection-publish"),
    path("casebank/samlinger/<int:pk>/pdf/", views.CollectionPdfView.as_view(),
         name="collection-pdf"),
    # Public: the token is the only key (never the primary key).
    path("casesamling/<str:token>/", views.public_collection, name="public"),
    path("casesamling/<str:token>/pdf/", views.public_collection_pdf, name="public-pdf"),
]
