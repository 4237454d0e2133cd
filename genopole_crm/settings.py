"""Settings for Genopole CRM.

Everything that differs between a laptop and production comes from environment variables.
DJANGO_DEBUG=1 (set by `make run` and the tests) gives a friendly local-development server
on SQLite; without it the settings refuse to start half-configured (no secret key, no
allowed hosts).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=None):
    return os.environ.get(name, default)


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def env_int(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


# Off unless asked for (`make run` and the tests turn it on), so a server started without
# configuration refuses to run without a secret key rather than running in debug mode.
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG=0 (the default). On your own "
            "machine, use the development settings, as `make run` does: DJANGO_DEBUG=1."
        )
    # Development only: a fixed, obviously-insecure key so sessions survive restarts.
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG=0")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_countries",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "core.axes_app.LockoutsConfig",  # django-axes, named for the admin index
    "csp",
    # The REST API spans every app (genopole_crm/api/). Before drf_spectacular, so that its
    # Swagger page (without drf_spectacular's inline style, which the CSP refuses) wins.
    "genopole_crm.api",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "core.otp_apps.AuthenticatorAppsConfig",  # django-otp's TOTP devices, named for the admin
    "core.otp_apps.RecoveryCodesConfig",  # django-otp's static (recovery) codes
    "core",
    "partners",
    "events",
    "projects",
    # Last: only for the templates of its own cross-app pages (home, search).
    "genopole_crm",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are compressed here; static files are served pre-compressed by WhiteNoise.
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    # Before anything that reads the database (sessions, users).
    "core.database.StatementTimeoutMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.two_factor.SecondFactorMiddleware",
    "core.sessions.KeepAliveMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes' own advice).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "genopole_crm.urls"
WSGI_APPLICATION = "genopole_crm.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Searched before the apps' folders: core's admin/base_site.html and password-reset
        # pages override django.contrib.admin's, which comes first in INSTALLED_APPS.
        "DIRS": [BASE_DIR / "core" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# One DATABASE_URL; an embedded SQLite file in the project when it is unset.
# Connections are kept open between requests (seconds; 0 closes each after its request) and
# checked before reuse, so that a database restart costs one reconnection, not an error.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DJANGO_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles the plans of big aggregates, and at a million meetings spent
    # 0.8–1.7 s doing so on pages that run in milliseconds without it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Web requests on PostgreSQL: cancel any statement running longer than this (milliseconds;
# 0 = no limit). Management commands and the admin's import views below have no limit.
WEB_STATEMENT_TIMEOUT_MS = env_int("DJANGO_STATEMENT_TIMEOUT_MS", 15_000)
STATEMENT_TIMEOUT_EXEMPT_URL_NAMES = [
    "events_meeting_import",
    "events_meeting_process_import",
    "events_importrecord_undo",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out user is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Lock-out: 5 failures for one user from one address lock that pair out for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.lockout.locked_out"
# Behind a TLS proxy the client address comes from X-Forwarded-For; trust it only when asked.
AXES_IPWARE_PROXY_COUNT = env_int("DJANGO_PROXY_COUNT", 0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# Two-factor log-in (genopole_crm/two_factor.py): authenticator apps show codes under this
# name; wrong codes are counted by our own lock-out (the AXES_* limits), not django-otp's
# growing delays.
OTP_TOTP_ISSUER = env("DJANGO_OTP_ISSUER", "Genopole CRM")
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Sessions live in the database, shared by every app server behind the proxy.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Sessions end after a working day without activity. Saving the session on every request
# would write to the database on every page read; core.sessions.KeepAliveMiddleware pushes
# the expiry back at most once every SESSION_KEEP_ALIVE_SECONDS instead.
SESSION_COOKIE_AGE = env_int("DJANGO_SESSION_SECONDS", 8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_KEEP_ALIVE_SECONDS = 5 * 60

# The dashboard and the annual report are kept per version of the data they read
# (core.caching): their keys change with every edit, so a cache per process is as correct as
# a shared one (the database cache, Redis), which would only save computing once per process.
# Entries of past versions are culled beyond MAX_ENTRIES (the largest, a report: ~270 KB).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 300},
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The language a person picks is kept for a year, not just until the browser closes.
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Content-Security-Policy: only our own origin, no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if not DEBUG:
    # Production: HTTPS only. Behind a TLS-terminating proxy, set DJANGO_SECURE_PROXY_HEADER=1
    # so Django trusts X-Forwarded-Proto; set DJANGO_SSL_REDIRECT=0 if the proxy redirects.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SSL_REDIRECT", True)
    # Load balancers probe the app servers themselves, in plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    if env_bool("DJANGO_SECURE_PROXY_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        if not SECURE_SSL_REDIRECT:
            # W008 asks for SECURE_SSL_REDIRECT; behind a TLS proxy that redirects to HTTPS
            # itself (the README's advice), the redirect is done, only not by Django.
            SILENCED_SYSTEM_CHECKS = ["security.W008"]
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies are only accepted over HTTPS, for this exact host, on path /.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Password-reset mails: printed in the terminal during development, sent by SMTP in production.
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "crm@localhost")

# Meeting-log uploads larger than this are refused with a message (bytes).
IMPORT_MAX_UPLOAD_SIZE = env_int("IMPORT_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# Uploads previewed but not yet confirmed are kept in the database (events.ImportPreview) for
# this long, and at most this many bytes in all (the oldest go first).
IMPORT_PREVIEW_LIFETIME = env_int("IMPORT_PREVIEW_LIFETIME_SECONDS", 6 * 60 * 60)
IMPORT_PREVIEW_MAX_TOTAL = env_int("IMPORT_PREVIEW_MAX_TOTAL_BYTES", 200 * 1024 * 1024)
# Imports of more lines than this run as background tasks after their confirmation, with a
# progress page (events/importing/tasks.py), rather than during the request.
IMPORT_BACKGROUND_LINES = env_int("IMPORT_BACKGROUND_LINES", 5_000)
# Background tasks: queued in the database (SQLite or PostgreSQL, no other server) and run by
# `manage.py db_worker`, on as many machines as wanted. TASKS_BACKEND=
# django_tasks.backends.immediate.ImmediateBackend runs them at once, inside the request.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A list page's Excel download is built whole before it is sent (a CSV streams): larger
# lists are offered as CSV instead (core/exports.py says why, bench/ what it costs).
EXPORT_XLSX_MAX_ROWS = env_int("EXPORT_XLSX_MAX_ROWS", 100_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DJANGO_UPLOAD_MEMORY_BYTES", 2_621_440)

# django-import-export: the admin's import and export need their own permissions,
# not merely staff status (its default lets every staff user import).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
}

# The REST API under /api/v1/ (genopole_crm/api/). Browsers use their session; scripts send a
# personal token ("Authorization: Token …") created on the account page.
API_TOKEN_RATE = env("API_TOKEN_RATE", "600/min")  # requests per token
API_PAGE_SIZE = env_int("API_PAGE_SIZE", 50)
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 500)
API_IMPORT_MAX_ROWS = env_int("API_IMPORT_MAX_ROWS", 20_000)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "genopole_crm.api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["genopole_crm.api.permissions.ModelPermissions"],
    "DEFAULT_THROTTLE_CLASSES": ["genopole_crm.api.throttling.PerTokenRateThrottle"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "genopole_crm.api.pagination.KeysetCursorPagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "genopole_crm.api.errors.json_exception_handler",
    # The events list filters on the events' own `format` (in person, virtual, hybrid).
    "URL_FORMAT_OVERRIDE": None,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Genopole CRM API",
    "DESCRIPTION": (
        "Organisations, people, partnerships, events, meetings and projects of Genopole's "
        "Europe & International team, and the meeting-log import. Authenticate with a personal "
        "token: `Authorization: Token <key>`."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI's files come from drf-spectacular-sidecar, served by the app (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "core.models.DatePrecision"},
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "genopole_crm.api.schema.add_error_responses",
    ],
}
