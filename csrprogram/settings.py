"""The one settings module. Every deployment-specific value comes from the environment.

With nothing set, the project runs on the embedded default: an SQLite file and Celery over
kombu's filesystem transport, so a newcomer needs no database or broker server. Setting
DATABASE_URL and REDIS_URL switches to PostgreSQL and Redis.
"""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy

from csrprogram import audit as _audit
from csrprogram.env import env_bool, env_file, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("CSR_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-DJANGO_DEBUG"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
# Public links (QR codes, emails, calendar feeds) need an absolute base URL.
SITE_URL = env_str("CSR_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "csrprogram",
    "companies",
    "certificates",
    "citizens",
    "placements",
    "followups",
    "relations",
    "cases",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "auditlog",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    # First: /healthz answers the compose health check over plain HTTP on 127.0.0.1, before
    # the host check and the HTTPS redirect (csrprogram/middleware.py).
    "csrprogram.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The idle and absolute session limits, the company a contact acts for, and two-factor
    # verification (django-otp) with its enforcement (csrprogram/login_session.py); after
    # messages, which the logout notice uses.
    "csrprogram.login_session.SessionLimitsMiddleware",
    "csrprogram.login_session.CurrentCompanyMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "csrprogram.login_session.TwoFactorRequiredMiddleware",
    # After sessions, authentication and messages: a repeated create form is answered here.
    "csrprogram.submission.OneTimeSubmissionMiddleware",
    # No CPR number in a URL, and nothing behind the login in a cache (csrprogram/middleware.py).
    "csrprogram.middleware.CprQueryGuardMiddleware",
    "csrprogram.middleware.NoStoreForAuthenticatedMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Axes must come last: it inspects the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "csrprogram.urls"
WSGI_APPLICATION = "csrprogram.wsgi.application"

# Django's form renderer with an inline select widget (csrprogram/form_renderer.py, issue 14).
FORM_RENDERER = "csrprogram.form_renderer.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csrprogram.context_processors.navigation",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # The session is read from Redis and written to both (the database stays the record, so
    # a Redis restart logs nobody out): one query less on every page (issue 14).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Users and authentication ---------------------------------------------------------------------
AUTH_USER_MODEL = "csrprogram.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_ENABLED = env_bool("CSR_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env_int("CSR_AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address for axes comes from the one resolver that trusts X-Forwarded-For only
# from CSR_TRUSTED_PROXIES (csrprogram/client_ip.py).
AXES_CLIENT_IP_CALLABLE = "csrprogram.client_ip.client_ip_for_axes"
RATELIMIT_IP_META_KEY = "csrprogram.client_ip.client_ip"

# Behind the municipality's reverse proxy: the addresses (or networks, CIDR) of the proxies
# whose X-Forwarded-For we believe. Empty (the default) means the peer's own address is the
# client's, whatever the header says.
CSR_TRUSTED_PROXIES = env_list("CSR_TRUSTED_PROXIES", [])

# Company contacts are invited by email; the one-time link is valid this many days.
CSR_INVITATION_DAYS = env_int("CSR_INVITATION_DAYS", 7, minimum=1)
# How old a programme's dashboard figures may be when shown: the dashboard page, its chart
# images and exports, and the team leader's home queue "targets behind" reuse a computation
# this many seconds (each is ≈ 45 aggregate queries over the programme; the page shows when
# its figures were computed and offers to compute them anew). 0 computes on every request.
CSR_DASHBOARD_CACHE_SECONDS = env_int("CSR_DASHBOARD_CACHE_SECONDS", 600, minimum=0)

# Sessions (OWASP ASVS 3.3): the session ends after CSR_SESSION_IDLE_SECONDS without a request
# (a page warns CSR_SESSION_WARNING_SECONDS before), after CSR_SESSION_ABSOLUTE_SECONDS
# whatever happens, and when the browser closes (no persistent cookie).
CSR_SESSION_IDLE_SECONDS = env_int("CSR_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
CSR_SESSION_WARNING_SECONDS = env_int("CSR_SESSION_WARNING_SECONDS", 2 * 60, minimum=10)
CSR_SESSION_ABSOLUTE_SECONDS = env_int("CSR_SESSION_ABSOLUTE_SECONDS", 12 * 3600,
                                       minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Password reset: emails per address and per account in an hour (django-ratelimit syntax).
CSR_PASSWORD_RESET_RATE = env_str("CSR_PASSWORD_RESET_RATE", "3/h")

# Two-factor authentication (django-otp, TOTP and recovery codes): required of these roles
# when they log in with a local password; a single sign-on login is the identity provider's
# business (its own MFA).
CSR_TWO_FACTOR_ROLES = env_list("CSR_TWO_FACTOR_ROLES", ["team_leader", "administrator"])
# Tests only (tests/conftest.py): treat every session as verified, so the suite's logins of
# team leaders and administrators keep their meaning; the enforcement tests turn it off.
CSR_TWO_FACTOR_ASSUME_VERIFIED = False
OTP_TOTP_ISSUER = env_str("CSR_OTP_ISSUER", "CSR-programmet")

# Single sign-on with OpenID Connect (mozilla-django-oidc), off unless configured: one
# provider for the job centre's staff (Entra ID / AD FS) and one for company contacts (a
# MitID Erhverv broker, e.g. NemLog-in). csrprogram/oidc.py reads CSR_OIDC_<PROVIDER>_*.
CSR_OIDC_PROVIDERS = {}
for _provider in ("STAFF", "COMPANY"):
    _client_id = env_str(f"CSR_OIDC_{_provider}_CLIENT_ID")
    if not _client_id:
        continue
    _issuer = env_str(f"CSR_OIDC_{_provider}_ISSUER", required=True).rstrip("/")
    CSR_OIDC_PROVIDERS[_provider.lower()] = {
        "client_id": _client_id,
        "client_secret": env_str(f"CSR_OIDC_{_provider}_CLIENT_SECRET", required=True),
        "authorization_endpoint": env_str(f"CSR_OIDC_{_provider}_AUTHORIZATION_ENDPOINT",
                                          f"{_issuer}/authorize"),
        "token_endpoint": env_str(f"CSR_OIDC_{_provider}_TOKEN_ENDPOINT", f"{_issuer}/token"),
        "userinfo_endpoint": env_str(f"CSR_OIDC_{_provider}_USERINFO_ENDPOINT",
                                     f"{_issuer}/userinfo"),
        "jwks_endpoint": env_str(f"CSR_OIDC_{_provider}_JWKS_ENDPOINT", f"{_issuer}/jwks"),
        "scopes": env_str(f"CSR_OIDC_{_provider}_SCOPES", "openid email profile"),
        "signing_algorithm": env_str(f"CSR_OIDC_{_provider}_SIGNING_ALGORITHM", "RS256"),
        # Staff: the claim listing the user's groups, and "group=role" pairs.
        "groups_claim": env_str(f"CSR_OIDC_{_provider}_GROUPS_CLAIM", "groups"),
        "role_map": dict(item.split("=", 1) for item in
                         env_list(f"CSR_OIDC_{_provider}_ROLE_MAP", []) if "=" in item),
    }
for _config in CSR_OIDC_PROVIDERS.values():
    _unknown = set(_config["role_map"].values()) - {"consultant", "team_leader", "administrator"}
    if _unknown:
        raise ImproperlyConfigured(
            f"CSR_OIDC_*_ROLE_MAP names unknown staff roles {sorted(_unknown)}; use "
            "consultant, team_leader or administrator.")
if "staff" in CSR_OIDC_PROVIDERS:
    AUTHENTICATION_BACKENDS.append("csrprogram.oidc.StaffOidcBackend")
if "company" in CSR_OIDC_PROVIDERS:
    AUTHENTICATION_BACKENDS.append("companies.sso.CompanyContactOidcBackend")

# --- Internationalisation -------------------------------------------------------------------------
LANGUAGE_CODE = "da"
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Copenhagen"
# Our date formats per language (csrprogram/formats/<lang>/formats.py): Danish 31.12.2026,
# English 31 Dec 2026.
FORMAT_MODULE_PATH = ["csrprogram.formats"]
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "staticfiles"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    # Generated PDFs and imports are private: they are only served through views that check
    # access, never from a public media URL.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# A list filter's empty choice reads "Alle" (All), not "---------". Lazy: the label follows the
# language of the request.
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("Alle")

# --- Email ----------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_FILE_PATH = DATA_DIR / "mail"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "CSR-programmet <csr@jobcenter.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The job centre that signs emails not tied to a programme (a password reset); programme
# emails are signed by the programme and its job centre (csrprogram/emails.py).
CSR_JOB_CENTRE_NAME = env_str("CSR_JOB_CENTRE_NAME", "Jobcentret")

# --- Security -------------------------------------------------------------------------------------
# DJANGO_SECURE defaults to on whenever DEBUG is off; the test suite turns it off because its
# client speaks plain HTTP. `manage.py check --deploy` is run by a test with it on.
SECURE = env_bool("DJANGO_SECURE", not DEBUG)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and env_bool("DJANGO_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31_536_000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# The cookie outlives no session: the idle and absolute limits (above) end it sooner.
SESSION_COOKIE_AGE = CSR_SESSION_ABSOLUTE_SECONDS
X_FRAME_OPTIONS = "DENY"

# No CDN, no inline script or style: everything is served from our own static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws some controls with data: SVG images.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Data protection ------------------------------------------------------------------------------
# Keys for the citizens' CPR numbers: a Fernet key for the encrypted value and a separate key
# for the HMAC blind index used for uniqueness and look-up. Required outside DEBUG.
CPR_ENCRYPTION_KEY = env_str("CSR_CPR_ENCRYPTION_KEY")
CPR_INDEX_KEY = env_str("CSR_CPR_INDEX_KEY")
if not (CPR_ENCRYPTION_KEY and CPR_INDEX_KEY):
    if not DEBUG and env_bool("CSR_REQUIRE_CPR_KEYS", True):
        raise ImproperlyConfigured(
            "CSR_CPR_ENCRYPTION_KEY and CSR_CPR_INDEX_KEY must be set when DJANGO_DEBUG is off."
        )
    # Development keys, derived so that a demo database stays readable across restarts.
    CPR_ENCRYPTION_KEY = CPR_ENCRYPTION_KEY or "ZGV2ZWxvcG1lbnQtb25seS1jcHIta2V5LTMyYnl0ZXM="
    CPR_INDEX_KEY = CPR_INDEX_KEY or "development-only-cpr-index-key"
# Key rotation (docs/security.md): the previous encryption keys, still accepted for decryption
# (comma-separated, newest first), and the previous index key, still accepted for look-ups,
# until `manage.py rotate_cpr_keys` has re-encrypted and re-indexed every row.
CPR_ENCRYPTION_OLD_KEYS = env_list("CSR_CPR_ENCRYPTION_OLD_KEYS", [])
CPR_INDEX_OLD_KEY = env_str("CSR_CPR_INDEX_OLD_KEY", "")

# --- Change history (django-auditlog) ------------------------------------------------------------
# Every model of ours is tracked; csrprogram/audit.py says what is left out and why.
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = _audit.EXCLUDED_MODELS
AUDITLOG_EXCLUDE_TRACKING_FIELDS = _audit.EXCLUDED_FIELDS
AUDITLOG_MASK_TRACKING_FIELDS = _audit.MASKED_FIELDS
AUDITLOG_MASK_CALLABLE = "csrprogram.audit.note_mask"

# --- Celery ---------------------------------------------------------------------------------------
# Named CSR_* on purpose: Celery lets an exported CELERY_BROKER_URL override every app's config.
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A message a worker took but never acknowledged (acks_late; the worker was killed) goes
    # back to the queue after this many seconds. Our tasks are short (a PDF, an email) and
    # idempotent, so a few minutes: a killed task is redone within minutes, not an hour. A
    # longer task (a funder report) may then be delivered twice; its claim makes the second a
    # no-op. The documents sweep re-queues lost work anyway; this only makes it sooner.
    # kombu looks for such messages every unacked_restore_interval (10 s) times
    # unacked_restore_throttle; a throttle of 1 keeps the redelivery at the timeout + 10 s.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CSR_BROKER_VISIBILITY_TIMEOUT", 300, minimum=5),
        "unacked_restore_throttle": 1,
    }
else:
    _broker_dir = DATA_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # The exchange tables; kombu's default is "control/" in the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CSR_CELERY_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Redelivered if a worker dies mid-task; every task is idempotent so that is safe.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 600
CELERY_TASK_SOFT_TIME_LIMIT = 540
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

# The one beat schedule. Each sweep finds due work in the database, so a missed or doubled
# run only delays or repeats a no-op; `expires` is shorter than the interval so a backlog of
# identical sweeps never piles up behind a stopped worker.
HEARTBEAT_SECONDS = env_int("CSR_HEARTBEAT_SECONDS", 300, minimum=10)
# Follow-ups (followups app). The sweep reminds, escalates and closes from the database.
FOLLOWUP_SWEEP_SECONDS = env_int("CSR_FOLLOWUP_SWEEP_SECONDS", 300, minimum=10)
# A planned visit enters the consultant's reminder digest this many working days before it is due.
FOLLOWUP_REMINDER_WORKING_DAYS = env_int("CSR_FOLLOWUP_REMINDER_WORKING_DAYS", 3, minimum=0)
# A visit still open this many working days after its due date goes to the team leader (once).
FOLLOWUP_ESCALATION_WORKING_DAYS = env_int("CSR_FOLLOWUP_ESCALATION_WORKING_DAYS", 5, minimum=1)
# "Made on time" for the metric: done no later than this many working days after the due date.
FOLLOWUP_ON_TIME_TOLERANCE_WORKING_DAYS = env_int("CSR_FOLLOWUP_ON_TIME_TOLERANCE_WORKING_DAYS",
                                                  5, minimum=0)
# Aftercare (efterværn) defaults: visits offered after the closing, one every N months.
FOLLOWUP_AFTERCARE_VISITS = env_int("CSR_FOLLOWUP_AFTERCARE_VISITS", 3, minimum=1)
FOLLOWUP_AFTERCARE_INTERVAL_MONTHS = env_int("CSR_FOLLOWUP_AFTERCARE_INTERVAL_MONTHS", 1,
                                             minimum=1)
# Documents (certificate PDFs, issue emails, funder reports) are due work: queued work whose
# lease runs out undone is queued again, and a failure is retried after this many seconds,
# doubled after each failure (csrprogram/duework.py).
CSR_DOCUMENT_RETRY_SECONDS = env_int("CSR_DOCUMENT_RETRY_SECONDS", 300, minimum=1)
DOCUMENTS_SWEEP_SECONDS = env_int("CSR_DOCUMENTS_SWEEP_SECONDS", 60, minimum=5)
CELERY_BEAT_SCHEDULE: dict = {
    # Keeps the beat → broker → worker path observable: a heartbeat row proves it runs.
    "heartbeat": {
        "task": "csrprogram.tasks.worker_heartbeat_record_task",
        "schedule": HEARTBEAT_SECONDS,
        "options": {"expires": HEARTBEAT_SECONDS * 0.8},
    },
    # Certificate expiry reminders: hourly is ample for a reminder sent weeks ahead, and a
    # sweep that claims each certificate with a conditional update sends nothing twice.
    "certificate-expiry-reminders": {
        "task": "certificates.tasks.certificate_expiry_reminders_send_task",
        "schedule": 3600,
        "options": {"expires": 3000},
    },
    # Documents: a PDF or an issue email that a person waits for (the company just got its
    # certificate, a team leader ordered a report), so every minute; the sweep only queues
    # rows whose lease or back-off has run out, claimed under a row lock, so a doubled run
    # queues nothing twice and an idle run is one cheap query per kind.
    "certificate-documents-sweep": {
        "task": "certificates.tasks.certificate_documents_sweep",
        "schedule": DOCUMENTS_SWEEP_SECONDS,
        "options": {"expires": DOCUMENTS_SWEEP_SECONDS * 0.8},
    },
    "case-collections-sweep": {
        "task": "cases.tasks.collections_sweep",
        "schedule": DOCUMENTS_SWEEP_SECONDS,
        "options": {"expires": DOCUMENTS_SWEEP_SECONDS * 0.8},
    },
    "report-jobs-sweep": {
        "task": "csrprogram.tasks.report_jobs_sweep",
        "schedule": DOCUMENTS_SWEEP_SECONDS,
        "options": {"expires": DOCUMENTS_SWEEP_SECONDS * 0.8},
    },
    # Follow-up visits: reminders, escalations and the 3-month closing are rows in the
    # database; every few minutes is soon enough for work due in days, and a lost or doubled
    # run is harmless (the sweep claims each row before acting on it).
    "followups-sweep": {
        "task": "followups.tasks.followups_sweep",
        "schedule": FOLLOWUP_SWEEP_SECONDS,
        "options": {"expires": FOLLOWUP_SWEEP_SECONDS * 0.8},
    },
    # Event invitations (relations app): letters asked for but unsent after five minutes are
    # queued again; the task claims each row, so a doubled run sends nothing twice.
    "relations-invitations-sweep": {
        "task": "relations.tasks.invitations_sweep",
        "schedule": DOCUMENTS_SWEEP_SECONDS * 5,
        "options": {"expires": DOCUMENTS_SWEEP_SECONDS * 4},
    },
}


def dashboards_keep_interval(cache_seconds: int, shared_cache: bool) -> int | None:
    """Seconds between the beat's runs of ``dashboards-keep``, or None for no such entry.

    Half the copies' lifetime, so a copy is renewed before it runs out; none without a cache
    shared by the web and worker processes (the copies would stay in the worker), nor when
    copies last under a minute (renewing them would be most of the worker's time)."""
    if not shared_cache or cache_seconds < 60:
        return None
    return cache_seconds // 2


# The dashboards and "Mine tal" (csrprogram/dashboard.py): the worker renews the running
# programmes' kept copies that people look at, so a page usually finds one (issue 14).
DASHBOARDS_KEEP_SECONDS = dashboards_keep_interval(CSR_DASHBOARD_CACHE_SECONDS, bool(REDIS_URL))
if DASHBOARDS_KEEP_SECONDS:
    CELERY_BEAT_SCHEDULE["dashboards-keep"] = {
        "task": "csrprogram.tasks.dashboards_keep_task",
        "schedule": DASHBOARDS_KEEP_SECONDS,
        "options": {"expires": DASHBOARDS_KEEP_SECONDS * 0.8},
    }
# Citizens' personal data (issue 16, part 2): anonymised this many months after the citizen's
# last enrolment ended, unless the programme sets its own period (docs/security.md).
CSR_CITIZEN_RETENTION_MONTHS = env_int("CSR_CITIZEN_RETENTION_MONTHS", 60, minimum=1)
# At most this many citizens are anonymised per sweep run: a bounded transaction each time.
CSR_RETENTION_BATCH_SIZE = env_int("CSR_RETENTION_BATCH_SIZE", 50, minimum=1)
CSR_RETENTION_SWEEP_SECONDS = env_int("CSR_RETENTION_SWEEP_SECONDS", 3600, minimum=60)
CELERY_BEAT_SCHEDULE["citizens-retention-sweep"] = {
    # Retention: prepares the dry-run report, and after a team leader's approval anonymises
    # one bounded batch per run. Hourly is ample for a period counted in years; a doubled run
    # claims the report row under a lock and re-checks every citizen, so it erases nothing twice.
    "task": "citizens.tasks.citizens_retention_sweep",
    "schedule": CSR_RETENTION_SWEEP_SECONDS,
    "options": {"expires": CSR_RETENTION_SWEEP_SECONDS * 0.8},
}
# How many days before a certificate's last valid day its primary contact is reminded.
CSR_CERTIFICATE_REMINDER_DAYS = env_int("CSR_CERTIFICATE_REMINDER_DAYS", 30, minimum=1)
# Requests per IP address to the public certificate pages (django-ratelimit syntax).
CSR_PUBLIC_CERTIFICATE_RATE = env_str("CSR_PUBLIC_CERTIFICATE_RATE", "60/m")
# The issuer printed at the top of every certificate; empty means the programme's municipality.
CSR_MUNICIPALITY_NAME = env_str("CSR_MUNICIPALITY_NAME", "")
# The municipality's logo (an SVG or PNG file) on every certificate; unset means none, and the
# certificate shows the municipality's name alone.
CSR_MUNICIPALITY_LOGO = env_file("CSR_MUNICIPALITY_LOGO", suffixes=(".svg", ".png"))

# --- Logging --------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_cpr": {"()": "csrprogram.logging.RedactCprFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_cpr"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("CSR_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools narrate every step at INFO; only their problems matter here.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
