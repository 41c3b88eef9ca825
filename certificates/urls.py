"""URLs of the certificates app (mounted at the site root by csrprogram/urls.py)."""

from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("certifikater/", views.CertificateListView.as_view(), name="certificate-list"),
    path("certifikater/<int:pk>/", views.CertificateDetailView.as_view(),
         name="certificate-detail"),
    path("certifikater/<int:pk>/pdf/", views.CertificatePdfView.as_view(),
         name="certificate-pdf"),
    path("certifikater/<int:pk>/pdf/proev-igen/", views.CertificatePdfRetryView.as_view(),
         name="certificate-pdf-retry"),
    path("certifikater/<int:pk>/tilbagekald/", views.CertificateRevokeView.as_view(),
         name="certificate-revoke"),
    path("vurderinger/<int:pk>/udsted/", views.CertificateIssueView.as_view(),
         name="certificate-issue"),
    path("certifikater/pdf-koersel/", views.RenderBatchCreateView.as_view(),
         name="render-batch-create"),
    path("certifikater/pdf-koersel/<int:pk>/", views.RenderBatchDetailView.as_view(),
         name="render-batch-detail"),
    # Public: the token is the only key (never the primary key).
    path("certifikat/<str:token>/", views.public_certificate, name="public"),
    path("certifikat/<str:token>/pdf/", views.public_certificate_pdf, name="public-pdf"),
    path("certifikat/<str:token>/badge.svg", views.PublicBadgeView.as_view(), name="badge"),
]
