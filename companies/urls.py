"""URLs of the companies app (mounted at the site root by csrprogram/urls.py)."""

from django.urls import path

from companies import views

app_name = "companies"

urlpatterns = [
    path("virksomheder/", views.CompanyListView.as_view(), name="company-list"),
    path("virksomheder/soeg/", views.CompanyAutocompleteView.as_view(),
         name="company-autocomplete"),
    path("virksomheder/ny/", views.CompanyCreateView.as_view(), name="company-create"),
    path("virksomheder/import/", views.CompanyImportView.as_view(), name="company-import"),
    path("virksomheder/<int:pk>/", views.CompanyDetailView.as_view(), name="company-detail"),
    path("virksomheder/<int:pk>/rediger/", views.CompanyUpdateView.as_view(),
         name="company-update"),
    path("virksomheder/<int:pk>/vurdering/", views.AssessmentCreateView.as_view(),
         name="assessment-create"),
    path("vurderinger/<int:pk>/", views.AssessmentDetailView.as_view(),
         name="assessment-detail"),
    path("kriterier/", views.CriterionListView.as_view(), name="criterion-list"),
    path("kriterier/ny/", views.CriterionCreateView.as_view(), name="criterion-create"),
    path("kriterier/<int:pk>/rediger/", views.CriterionUpdateView.as_view(),
         name="criterion-update"),
    path("virksomheder/<int:pk>/inviter/", views.ContactInviteView.as_view(),
         name="contact-invite"),
    path("virksomheder/<int:pk>/kontakter/<int:contact_pk>/luk-adgang/",
         views.ContactAccessRevokeView.as_view(), name="contact-access-revoke"),
    path("min-virksomhed/", views.PortalView.as_view(), name="portal"),
    path("invitation/<str:token>/", views.InvitationAcceptView.as_view(),
         name="invitation-accept"),
    path("min-virksomhed/skift/", views.CompanySwitchView.as_view(), name="company-switch"),
]
