from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from csrprogram import account_views, oidc, views
from csrprogram.forms import EmailAuthenticationForm, LocalisedPasswordResetForm

admin.site.site_header = _("CSR-program – administration")
admin.site.site_title = _("CSR-program")

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("arbejdsliste/<slug:key>/", views.QueueDetailView.as_view(), name="queue-detail"),
    path("healthz", views.HealthView.as_view(), name="health"),
    path("programmer/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("programmer/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    path("programmer/<int:pk>/rediger/", views.ProgrammeUpdateView.as_view(),
         name="programme-update"),
    path("programmer/<int:pk>/dashboard/", views.DashboardView.as_view(),
         name="programme-dashboard"),
    path("programmer/<int:pk>/dashboard/graf/<slug:key>.svg", views.DashboardChartView.as_view(),
         name="programme-dashboard-chart"),
    path("programmer/<int:pk>/dashboard/eksport.csv",
         views.DashboardExportView.as_view(export_format="csv"), name="programme-export-csv"),
    path("programmer/<int:pk>/dashboard/eksport.xlsx",
         views.DashboardExportView.as_view(export_format="xlsx"), name="programme-export-xlsx"),
    path("programmer/<int:pk>/mine-tal/", views.MyFiguresView.as_view(),
         name="programme-my-figures"),
    path("programmer/<int:pk>/maaltal/", views.TargetListView.as_view(), name="target-list"),
    path("programmer/<int:pk>/maaltal/nyt/", views.TargetCreateView.as_view(),
         name="target-create"),
    path("programmer/<int:pk>/maaltal/<int:target_pk>/rediger/",
         views.TargetUpdateView.as_view(), name="target-update"),
    path("programmer/<int:pk>/maaltal/<int:target_pk>/slet/",
         views.TargetDeleteView.as_view(), name="target-delete"),
    path("programmer/<int:pk>/rapporter/", views.ReportListView.as_view(), name="report-list"),
    path("programmer/<int:pk>/rapporter/<int:job_pk>/", views.ReportDetailView.as_view(),
         name="report-detail"),
    path("programmer/<int:pk>/rapporter/<int:job_pk>/hent/",
         views.ReportDownloadView.as_view(), name="report-download"),
    path("konto/login/", auth_views.LoginView.as_view(
        redirect_authenticated_user=True, authentication_form=EmailAuthenticationForm),
         name="login"),
    path("konto/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/adgangskode/", auth_views.PasswordChangeView.as_view(),
         name="password_change"),
    path("konto/adgangskode/skiftet/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("konto/nulstil/", account_views.RateLimitedPasswordResetView.as_view(
        form_class=LocalisedPasswordResetForm), name="password_reset"),
    path("konto/nulstil/sendt/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("konto/nulstil/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("konto/nulstil/faerdig/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("konto/session/", account_views.SessionKeepAliveView.as_view(),
         name="session-keepalive"),
    path("konto/to-trin/", account_views.TwoFactorSetupView.as_view(), name="two-factor-setup"),
    path("konto/to-trin/bekraeft/", account_views.TwoFactorVerifyView.as_view(),
         name="two-factor-verify"),
    path("konto/to-trin/gendannelseskoder/", account_views.RecoveryCodesView.as_view(),
         name="two-factor-recovery-codes"),
    path("konto/sso/<slug:provider>/", oidc.OidcLoginView.as_view(), name="oidc-login"),
    # One fixed callback per provider: mozilla-django-oidc reverses it by name, without args.
    path("konto/sso/staff/retur/", oidc.OidcCallbackView.as_view(),
         {"provider": "staff"}, name="oidc-callback-staff"),
    path("konto/sso/company/retur/", oidc.OidcCallbackView.as_view(),
         {"provider": "company"}, name="oidc-callback-company"),
    # Each app owns its URLs under its own namespace and path prefix.
    path("", include("companies.urls")),
    path("", include("certificates.urls")),
    path("", include("citizens.urls")),
    path("", include("placements.urls")),
    path("", include("followups.urls")),
    # Before Django's own: the choice is also stored as the user's email language.
    path("i18n/setlang/", views.LanguageSetView.as_view(), name="set_language"),
    path("", include("relations.urls")),
    path("", include("cases.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
