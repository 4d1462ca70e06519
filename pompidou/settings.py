"""Settings of the portal, read from the environment.

Every value has a default that serves development on a fresh machine (DEBUG on,
SQLite in the project folder, Celery tasks run eagerly, e-mail to the console).
Production differs only by environment variables; `manage.py check --deploy`
and the checks in `pompidou.checks` flag unsafe values.
"""

import re
from datetime import timedelta
from pathlib import Path
from string import Template

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from . import logging as portal_logging
from .env import env_bool, env_choice, env_header, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (a long random string, kept secret)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Before the admin: translated fields (programme/translation.py) get their
    # side-by-side English and French inputs in the back office.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # For its French translations of the ISO 3166 names (pompidou/lib/countries.py).
    "django_countries",
    "rest_framework",
    "rest_framework.authtoken",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "pompidou",
    "programme",
    "activities",
    "proposals",
    "evaluation",
    "meetings",
    "search",
    "overlap",
    "portal",
    "records",
    "accounts",
]

MIDDLEWARE = [
    # /healthz and /readyz, before the host check and the HTTPS redirect (pompidou/health.py).
    "pompidou.health.HealthMiddleware",
    "pompidou.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "pompidou.security.middleware.AccessDeniedAuditMiddleware",
    "pompidou.middleware.RequestSizeLimitMiddleware",
    "pompidou.middleware.BadInputMiddleware",
    "pompidou.middleware.ServiceUnavailableMiddleware",
    "pompidou.middleware.PortalLoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the messages, so that an ended session can say so on the login page.
    "pompidou.security.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a login refused by the lockout into the
    # lockout answer (pompidou.security.lockout.lockout_response).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pompidou.urls"

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
                "portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "pompidou.wsgi.application"

# No DATABASE_URL: a SQLite file in the project folder, so a newcomer starts in one command.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
# PostgreSQL's JIT compiles a query the planner thinks costly (10-20 ms a time); the
# portal's queries are short, and at 100,000 activities a few aggregates crossed its
# threshold and paid more to compile than to run. Off for the portal's connections
# unless DATABASE_JIT=1.
if DATABASES["default"]["ENGINE"].endswith("postgresql") and not env_bool("DATABASE_JIT", False):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Validators apply where a password is set or changed (the password forms,
# create_account); they do not touch existing passwords or logins.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The lockout backend first: it refuses a locked-out account or address before the
# password is even checked (django-axes).
AUTHENTICATION_BACKENDS = [
    "pompidou.security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"

# The shared cache: the login lockout counts and the API throttles live here, so
# they hold across gunicorn workers and web replicas. Without CACHE_URL (one
# development process) an in-memory cache; in production CACHE_URL=redis://…
# (`check --deploy` warns about the in-memory cache when DEBUG is off).
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": (
        {
            # Django's Redis cache, its client made once (pompidou/cache.py).
            "BACKEND": "pompidou.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "pompidou"),
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# How long a list's row count may be served from the cache (seconds; 0: never). Any
# write starts afresh (pompidou.listing), so this only bounds what a bulk change made
# outside the portal's code could leave stale.
LIST_COUNT_CACHE_SECONDS = env_int("LIST_COUNT_CACHE_SECONDS", 300, minimum=0)

# How long the API may serve a list row's representation from the cache (seconds; 0:
# never); any write starts afresh, as for the counts (pompidou.listing).
API_ROW_CACHE_SECONDS = env_int("API_ROW_CACHE_SECONDS", 300, minimum=0)

# A search of a list is ordered by relevance while it finds at most this many rows
# (ranking reads each match); past that, newest first (pompidou.textsearch). 0: always.
SEARCH_RANK_MAX_ROWS = env_int("SEARCH_RANK_MAX_ROWS", 1000, minimum=0)

# The client's address. The web server in front (TRUSTED_PROXY_COUNT proxies, 1 for
# the compose stack's nginx) appends the address it saw to X-Forwarded-For; the
# portal reads that entry and nothing a client wrote before it. 0: no proxy, the
# socket's address (REMOTE_ADDR) only. One rule (pompidou.security.ip.client_ip) for
# the lockout, the API throttles and the audit log.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)

# Login lockout (django-axes): LOGIN_FAILURE_LIMIT failed logins lock the account
# and, separately, the address, on the login page, the admin login and the API
# token endpoint, for LOGIN_COOLOFF_SECONDS after the last failure (a failure
# during the lockout starts the cool-off again). A successful login clears the
# count of that account and address. See README "Logins and lockout".
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 6, minimum=1)
AXES_COOLOFF_TIME = timedelta(seconds=env_int("LOGIN_COOLOFF_SECONDS", 15 * 60, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "pompidou.security.ip.client_ip"
AXES_LOCKOUT_CALLABLE = "pompidou.security.lockout.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# The counts live in the cache (above), so axes' database logs stay empty: hide them.
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# In development the in-memory cache is one process's, which is all runserver has.
SILENCED_SYSTEM_CHECKS = ["axes.W001"] if DEBUG and not CACHE_URL else []

# Personal data (accounts/retention.py, run nightly by beat; shown on the privacy
# page): unused feedback links are deleted this many days after their request's
# deadline, login records (logins, refused logins, lockouts, refused accesses, with
# their addresses) this many days after they were written.
FEEDBACK_LINK_RETENTION_DAYS = env_int("FEEDBACK_LINK_RETENTION_DAYS", 90, minimum=1)
LOGIN_RECORD_RETENTION_DAYS = env_int("LOGIN_RECORD_RETENTION_DAYS", 180, minimum=1)
# REST clients that sync (pompidou/sync.py): a sync watermark is the start of the oldest
# transaction still writing, less this many seconds (the time between a row's
# ``updated_at`` being taken and its transaction starting, and the clock difference
# between the web servers and the database); deletions stay in the changes feed this
# many days (a client that syncs less often downloads the lists again).
SYNC_SAFETY_MARGIN_SECONDS = env_int("SYNC_SAFETY_MARGIN_SECONDS", 5, minimum=0)
SYNC_TOMBSTONE_RETENTION_DAYS = env_int("SYNC_TOMBSTONE_RETENTION_DAYS", 90, minimum=1)
# Who to ask about one's personal data (the privacy page).
PRIVACY_CONTACT_EMAIL = env_str("PRIVACY_CONTACT_EMAIL", "dpo@pompidou.example")

# Two-factor authentication (TOTP, django-otp) for Secretariat and Bureau accounts
# (and superusers): required when OTP_REQUIRED is on; off by default so `make run`
# and the demo accounts log in with a password alone.
OTP_REQUIRED = env_bool("OTP_REQUIRED", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Pompidou Group portal")

# Sessions: HttpOnly cookies, SameSite=Lax, an idle expiry (renewed on every
# request, so an active user is not logged out) and an absolute lifetime from the
# login (pompidou.security.middleware.SessionLifetimeMiddleware), after which the
# user logs in again however active they were.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 60 * 60 * 2, minimum=60)
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 60 * 60 * 12, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["pompidou.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
# The programme's texts are stored in both languages (django-modeltranslation,
# programme/translation.py); a French text not written yet shows the English one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
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

# Request sizes. A body other than a multipart upload (a form, a JSON body to the
# API) may hold DATA_UPLOAD_MAX_MEMORY_SIZE bytes; a multipart upload one
# document (pompidou.lib.files.MAX_DOCUMENT_BYTES, 10 MB) and its form, refused
# while it streams by the first upload handler. An upload up to
# FILE_UPLOAD_MAX_MEMORY_SIZE stays in memory, a larger one goes to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2_621_440, minimum=0)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 1000, minimum=1)
FILE_UPLOAD_HANDLERS = [
    "pompidou.uploads.DocumentSizeUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@pompidou.example")
# The folder the file-based backend writes each e-mail to (a test stack, a demo).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or str(BASE_DIR / "sent-mail")
SERVER_EMAIL = env_str("SERVER_EMAIL") or DEFAULT_FROM_EMAIL
# The SMTP relay of production (EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend).
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)

# Celery: no broker means tasks run eagerly in the web process (development);
# with CELERY_BROKER_URL they go to a real worker.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not env_str("CELERY_BROKER_URL")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker process that holds more than this many MB once a task has ended is
# replaced by a fresh one: the PDF of a year of thousands of activities takes 2 GB
# while WeasyPrint lays it out, and Python keeps what it took. 0: never replaced.
WORKER_MAX_MEMORY_MB = env_int("WORKER_MAX_MEMORY_MB", 600, minimum=0)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = WORKER_MAX_MEMORY_MB * 1024 or None  # KiB
CELERY_TIMEZONE = TIME_ZONE
# The visibility timeout is above the longest job (a 1,000-activity compile), so
# Redis does not hand an unacknowledged job to a second worker while the first is
# still on it; a worker that dies is noticed by the heartbeat instead (see
# REPORT_JOB_STALE_SECONDS), and a message Redis hands out again later runs nothing
# (the attempt token). A broker that does not answer fails a publish in seconds
# (QueueUnavailable, a 503), not after minutes of retries.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "socket_connect_timeout": 3,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}

API_ANON_RATE = env_str("API_ANON_RATE", "600/hour")
REST_FRAMEWORK = {
    # The token class comes first: the first class names the scheme of a 401, so a
    # bad or unknown key answers 401 (with WWW-Authenticate), not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "pompidou.authentication.TokenOrBearerAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Authenticated by default; public reads opt in explicitly per view.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON bodies nest at most pompidou.parsers.MAX_DEPTH levels (deeper: 400, not a
    # RecursionError); forms and multipart as DRF's defaults.
    "DEFAULT_PARSER_CLASSES": [
        "pompidou.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # JSON only: every answer under /api/ is JSON, whatever Accept asks for (the
    # documentation is /api/docs/, not DRF's browsable pages).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "pompidou.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["pompidou.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "pompidou.schema.AutoSchema",
    "EXCEPTION_HANDLER": "pompidou.api.exception_handler",
    # Counted in the shared cache, per client address as pompidou.security.ip reads it.
    "DEFAULT_THROTTLE_CLASSES": ["pompidou.security.throttling.AnonRateThrottle"],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_THROTTLE_RATES": {"anon": API_ANON_RATE},
}

# The API's documentation (/api/docs/): Swagger UI from the sidecar package (no CDN),
# the introduction from pompidou/schema_intro.md, one tag per resource (pompidou.schema).
SPECTACULAR_SETTINGS = {
    "TITLE": "Pompidou work-programme portal API",
    "DESCRIPTION": Template(
        (BASE_DIR / "pompidou" / "schema_intro.md").read_text()
    ).safe_substitute(anon_rate=API_ANON_RATE),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # No badge fetched from swagger.io: the portal works on a closed network, and
    # the Content-Security-Policy allows images from the portal only.
    "SWAGGER_UI_SETTINGS": {
        "deepLinking": True,
        "validatorUrl": None,
        "persistAuthorization": True,
        "filter": True,
    },
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name with another model's get a name of their own.
    "ENUM_NAME_OVERRIDES": {
        "MeetingStatusEnum": "programme.models.Meeting.Status",
        "AgendaItemOutcomeEnum": "meetings.models.AgendaItem.Outcome",
        # The names these had before meetings brought a second "status" and "outcome".
        "EvaluationReportStatusEnum": "pompidou.models.ReportJob.Status",
        "OutcomeEnum": "proposals.models.Decision.Outcome",
        "KindEnum": "programme.models.PermanentFormat.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "pompidou.schema.postprocess_tags",
    ],
    "EXTERNAL_DOCS": {"description": "The portal", "url": "/"},
}

# --- Production security: HTTPS, HSTS, Content-Security-Policy, logs -------------
# Behind the web server (deploy/nginx.conf), which terminates TLS and tells the
# portal the scheme in X-Forwarded-Proto; `manage.py check --deploy` passes with
# the values of deploy/check-deploy.env. HSTS tells browsers to use only HTTPS for
# SECURE_HSTS_SECONDS: start low (3600) and raise it to a year once HTTPS is known
# to work, as a browser cannot be told to forget it before it expires.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = env_header("SECURE_PROXY_SSL_HEADER")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# The health probes answer over plain HTTP inside the stack.
SECURE_REDIRECT_EXEMPT = [r"^(healthz|readyz)/?$"]

# Content-Security-Policy on every response (django-csp): scripts, styles, fonts
# and fetches only from the portal itself, so an injected <script>, on…= handler
# or style="…" does not run. No template has an inline script or style; the
# Swagger page (/api/docs/) loads its start script from its own address
# (SpectacularSwaggerSplitView). `data:` images are Bootstrap's and Swagger UI's
# icons drawn by their style sheets. A script that must stay inline takes
# nonce="{{ request.csp_nonce }}".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Logs go to stdout, each line with the id of its request (X-Request-ID, set by
# pompidou.middleware.RequestIdMiddleware): LOG_FORMAT=json for the log collector
# of the stack, plain text (the default) for a developer's terminal.
# The worker logs through the same handler and format instead of Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
LOG_FORMAT = env_choice("LOG_FORMAT", "text", ("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "pompidou.logging.RequestIdFilter"}},
    "formatters": {
        "text": {"format": portal_logging.TEXT_FORMAT},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": portal_logging.JSON_FORMAT,
            "rename_fields": portal_logging.JSON_RENAMED,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint narrates every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        # Each step and page of a PDF, heard by the compile's progress bar
        # (pompidou.lib.pdf_progress), never printed.
        "weasyprint.progress": {"level": "INFO", "handlers": [], "propagate": False},
        "fontTools": {"level": "WARNING"},
        # Django's own handlers would print a second, unformatted copy of its lines.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
# --- end of production security ---------------------------------------------

PORTAL_BASE_URL = env_str("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# The IATI organisation identifier of the publisher of the IATI 2.03 export
# (activities/iati.py): every iati-identifier starts with it ("<ref>-PG-2016-014").
# The default is a placeholder for development; production sets the identifier the
# Council of Europe registers with IATI (see https://org-id.guide).
IATI_REPORTING_ORG_REF = env_str("IATI_REPORTING_ORG_REF", "XI-IATI-POMPIDOU")
if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", IATI_REPORTING_ORG_REF):
    # IATI identifiers allow no space, slash, ampersand, bar or question mark.
    raise ImproperlyConfigured(
        f"IATI_REPORTING_ORG_REF={IATI_REPORTING_ORG_REF!r}: letters, digits, '.', '_' "
        "and '-' only (an IATI organisation identifier, e.g. XM-DAC-47066)."
    )

# Compiled documents on workers that die (pompidou/jobs.py). A worker beats every
# REPORT_JOB_HEARTBEAT_SECONDS while it builds; a job whose beat stopped for
# REPORT_JOB_STALE_SECONDS is taken over by another worker at the next sweep (every
# worker sweeps every JOB_SWEEP_SECONDS), at most REPORT_JOB_MAX_ATTEMPTS starts. A
# queued job the queue never took is sent after JOB_DISPATCH_GRACE_SECONDS, one
# taken but not started after JOB_REDISPATCH_SECONDS is sent again.
REPORT_JOB_HEARTBEAT_SECONDS = env_int("REPORT_JOB_HEARTBEAT_SECONDS", 5, minimum=1)
REPORT_JOB_STALE_SECONDS = env_int("REPORT_JOB_STALE_SECONDS", 45, minimum=10)
REPORT_JOB_MAX_ATTEMPTS = env_int("REPORT_JOB_MAX_ATTEMPTS", 3, minimum=1)
JOB_SWEEP_SECONDS = env_int("JOB_SWEEP_SECONDS", 10, minimum=1)
JOB_DISPATCH_GRACE_SECONDS = env_int("JOB_DISPATCH_GRACE_SECONDS", 10, minimum=0)
JOB_REDISPATCH_SECONDS = env_int("JOB_REDISPATCH_SECONDS", 900, minimum=60)
# Notifications written while the queue was down are sent by the sweep once they
# are this old (before that, the request that wrote them sends them itself).
OUTBOX_PUBLISH_GRACE_SECONDS = env_int("OUTBOX_PUBLISH_GRACE_SECONDS", 10, minimum=0)

# Exports of the activity list (activities/export_jobs.py): a list longer than
# EXPORT_SYNC_MAX_ROWS is written by a worker, the page following its progress, and
# its file is kept EXPORT_KEEP_HOURS; a shorter one is answered at once.
EXPORT_SYNC_MAX_ROWS = env_int("EXPORT_SYNC_MAX_ROWS", 20_000, minimum=0)
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24, minimum=1)

# Deadlines of proposals (proposals/deadlines.py): a submitted proposal may be
# supported by other delegations for this many days, unless the Secretariat sets
# another day on its page.
PROPOSAL_SUPPORT_DAYS = env_int("PROPOSAL_SUPPORT_DAYS", 30, minimum=1)

# "Suggest a programme within budget": the solver stops after this many seconds and
# the page says whether the optimum was proven by then; it runs on this many threads.
PRIORITISE_TIME_LIMIT_SECONDS = env_int("PRIORITISE_TIME_LIMIT_SECONDS", 10, minimum=1)
PRIORITISE_SOLVER_WORKERS = env_int("PRIORITISE_SOLVER_WORKERS", 2, minimum=1)

# --- The stack behind nginx (docker-compose.yml, deploy/nginx.conf) ----------------
# Uploaded and compiled files are served only by their object's view after its
# permission check (pompidou/downloads.py). With this prefix set, the view answers
# X-Accel-Redirect to nginx's `internal` location of that prefix and nginx sends the
# bytes; unset (development, tests), Django streams them itself.
PROTECTED_MEDIA_ACCEL = env_str("PROTECTED_MEDIA_ACCEL", "")
if PROTECTED_MEDIA_ACCEL and not (
    PROTECTED_MEDIA_ACCEL.startswith("/") and PROTECTED_MEDIA_ACCEL.endswith("/")
):
    raise ImproperlyConfigured(
        f"PROTECTED_MEDIA_ACCEL={PROTECTED_MEDIA_ACCEL!r} must be a path between slashes, "
        "e.g. /protected/ (the internal location in deploy/nginx.conf)."
    )
