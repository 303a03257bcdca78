"""Settings for Löftesportalen, read from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if env.bool("DJANGO_READ_DOT_ENV_FILE", default=False):
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)

# Only a development server may run without a secret of its own.
SECRET_KEY = env(
    "DJANGO_SECRET_KEY",
    default="django-insecure-development-only-key" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.apps.AdminConfig",  # django.contrib.admin with the portal's own AdminSite
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # the stored search vectors (promises/fulltext.py)
    "simple_history",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served from here (no CDN)
    "corsheaders",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_tasks_db",
    "outbox",
    "security",
    "promises",
    "situation",
    "followup",
    "reports",
    "overview",
    "subscriptions",
    "opendata",
    "api",
    "caching",
    "demo",
]

MIDDLEWARE = [
    # First, so that every log line of the request carries its id.
    "security.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above the page cache, so that cached API answers get the CORS headers too, and its
    # "Vary: Origin" never keeps an API answer out of the page cache (CORS_URLS_REGEX).
    "corsheaders.middleware.CorsMiddleware",
    # Above the page cache, so that cached pages get 304s too.
    "django.middleware.http.ConditionalGetMiddleware",
    "caching.pages.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "security.middleware.SessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that their 400s and 503s pass every middleware above (security headers, CSP);
    # they still act before any view reads a parameter (config/middleware.py).
    "config.middleware.HostileInputMiddleware",
    "config.middleware.DatabaseOutageMiddleware",
    # Last of all, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.csp",
                "promises.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: it pays off for long analytical queries, while the portal's are
    # short, yet any statement the planner costs high (a search with filters, at national
    # scale) was compiled first, which took longer than running it.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # The same, with one Redis client per connection pool instead of one per operation.
    CACHES["default"]["BACKEND"] = "caching.redis.RedisCache"
# Public pages for anonymous readers, kept in the shared cache until the data changes
# (caching/pages.py); browsers and proxies may keep them PAGE_CACHE_MAX_AGE seconds.
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=3600)
PAGE_CACHE_MAX_AGE = env.int("PAGE_CACHE_MAX_AGE", default=60)
# A write to any model of these apps moves the cache on to fresh pages.
PAGE_CACHE_WATCHED_APPS = ["promises", "followup", "situation"]
# Precomputed page bodies (caching/fragments.py), kept until what they show changes (stamps)
# or this many seconds; 0 turns them off. After a write's commit the task worker renders the
# pages that show it again, unless FRAGMENT_WARM_AFTER_COMMIT is off.
FRAGMENT_CACHE_SECONDS = env.int("FRAGMENT_CACHE_SECONDS", default=7 * 24 * 3600)
FRAGMENT_WARM_AFTER_COMMIT = env.bool("FRAGMENT_WARM_AFTER_COMMIT", default=True)
# Each process keeps copies of the pages it served last, up to this many bytes, and of the
# fragments and API rows, as many again; it asks the shared cache only whether they are still
# current (caching/local.py).
LOCAL_COPIES_BYTES = env.int("LOCAL_COPIES_BYTES", default=32 * 1024 * 1024)
# Residents' reports a client (by IP address) may send: (how many, per how many seconds).
REPORTS_RATE_LIMIT = (
    env.int("REPORTS_RATE_LIMIT_COUNT", default=5),
    env.int("REPORTS_RATE_LIMIT_SECONDS", default=600),
)
# E-mail subscriptions: a confirmation link is valid this many days, and what is not confirmed
# by then is deleted (manage.py purge_subscriptions). Asking to subscribe is limited per client
# and, so that nobody floods a stranger's inbox with confirmation links, per address.
SUBSCRIPTIONS_CONFIRM_SECONDS = env.int("SUBSCRIPTIONS_CONFIRM_DAYS", default=7) * 86400
SUBSCRIPTIONS_RATE_LIMIT = (
    env.int("SUBSCRIPTIONS_RATE_LIMIT_COUNT", default=5),
    env.int("SUBSCRIPTIONS_RATE_LIMIT_SECONDS", default=600),
)
SUBSCRIPTIONS_ADDRESS_RATE_LIMIT = (
    env.int("SUBSCRIPTIONS_ADDRESS_RATE_LIMIT_COUNT", default=3),
    86400,
)
# The largest report a resident may send; the forms hold a few short fields.
REPORTS_MAX_BODY_BYTES = env.int("REPORTS_MAX_BODY_BYTES", default=64 * 1024)
# How many proxies of our own (e.g. the TLS proxy) stand in front of gunicorn: the client's
# address is then the one the outermost of them put into X-Forwarded-For (reports/ratelimit.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Where those proxies connect from: X-Forwarded-For counts only on a connection from one of
# these addresses or networks, so a client reaching gunicorn directly cannot choose its address.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.0/8", "::1"])

# The read-only JSON API under /api/v1/ (api/): anonymous, public data only, JSON only (one
# renderer, so answers do not vary on Accept and the page cache keeps them like pages).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["api.rest.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.rest.Pagination",
    "DEFAULT_THROTTLE_CLASSES": ["api.rest.ClientRateThrottle"],
    "EXCEPTION_HANDLER": "api.views.exception_handler",
    # Requests one client (IP address, as for reports) may make, counted in the shared cache.
    "DEFAULT_THROTTLE_RATES": {"api": env("API_RATE_LIMIT", default="120/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    # Survey values are numbers in JSON, as in the open-data files.
    "COERCE_DECIMAL_TO_STRING": False,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Löftesportalen API",
    "DESCRIPTION": (
        "Read-only access to what Löftesportalen publishes: citizen promises (medborgarlöften) "
        "of Swedish municipalities and local police areas, their focus areas and commitments, "
        "the quarterly follow-up and the results of safety surveys. Only published data; "
        "anonymous, no key needed; CC0 1.0 (public domain)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "LICENSE": {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"},
    "COMPONENT_SPLIT_REQUEST": True,
}
# Any website may read the API from a browser script: GET only, no cookies (no credentials).
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/v1/"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

# Request bodies and uploads: a form field body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 400, and
# an upload over FILE_UPLOAD_MAX_MEMORY_SIZE is streamed to a temporary file, not kept in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# The largest safety survey CSV the admin and import_survey accept (a country is ~1 MB).
SURVEY_CSV_MAX_BYTES = env.int("SURVEY_CSV_MAX_BYTES", default=5 * 1024 * 1024)

# While the database is unreachable pages are a 503 and one warning per this many seconds is
# logged (config/middleware.py).
OUTAGE_LOG_SECONDS = 60

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes checks every login against its record of failures before the password is tried.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins are counted per username at one address (guessing one account's password) and
# per address alone (trying a few passwords on many accounts); never per username alone, which
# would let anyone lock any staff member out from anywhere. The record is in the database, so
# every worker shares it; failures older than the cool-off are forgotten.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_LOCKOUT_TEMPLATE = "security/locked_out.html"
# The same client address as the report rate limit, honouring TRUSTED_PROXY_COUNT.
AXES_CLIENT_IP_CALLABLE = "reports.ratelimit.client_ip"
# Staff must confirm a one-time code (TOTP app or a recovery code) before the admin lets them
# in. Off only for development (make run's demo).
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "Löftesportalen"
# A signed-in session ends after SESSION_IDLE_TIMEOUT seconds without a request and
# SESSION_COOKIE_AGE seconds after logging in, whatever happens (security.middleware).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_COOKIE_AGE = env.int("SESSION_MAX_HOURS", default=12) * 3600

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
# locale/ is ours (make messages); locale_vendor/ holds Swedish for third-party templates that
# ship none (django-simple-history's admin pages) and is edited by hand.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
USE_I18N = True
# Date formats of our own beside Django's per language (COMPACT_DATE_FORMAT of promise cards).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "media")
# The stored whole-country open-data files (opendata/exports.py); rebuilt, never backed up.
OPENDATA_ROOT = env.path("OPENDATA_ROOT", default=MEDIA_ROOT("opendata"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# E-mail goes to the console in development and over SMTP otherwise.
_email_backend = env(
    "DJANGO_EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _email_backend}}
if _email_backend.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("DJANGO_EMAIL_HOST", default="localhost"),
        "port": env.int("DJANGO_EMAIL_PORT", default=25),
        "username": env("DJANGO_EMAIL_HOST_USER", default=""),
        "password": env("DJANGO_EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("DJANGO_EMAIL_USE_TLS", default=False),
    }
# E-mail is sent by background tasks (outbox/delivery.py): in production the database backend,
# whose worker `manage.py db_worker` runs them; with DEBUG the immediate backend runs them at
# once, so `make run` needs no worker.
TASKS = {
    "default": {
        "BACKEND": env(
            "DJANGO_TASKS_BACKEND",
            default="django.tasks.backends.immediate.ImmediateBackend"
            if DEBUG
            else "django_tasks_db.DatabaseBackend",
        )
    }
}
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's own address, for links in e-mails sent outside a request (reminders).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
# The contact address on the accessibility statement and the privacy page.
SITE_CONTACT_EMAIL = env("SITE_CONTACT_EMAIL", default="kontakt@example.org")
# Who publishes the open data, as the DCAT-AP-SE catalogue names them (opendata/catalogue.py):
# a name, an address that identifies them (e.g. their website) and a type from the ADMS
# publisher types (NationalAuthority, LocalAuthority, …).
OPENDATA_PUBLISHER_NAME = env("OPENDATA_PUBLISHER_NAME", default="Löftesportalen")
OPENDATA_PUBLISHER_URL = env("OPENDATA_PUBLISHER_URL", default="")
OPENDATA_PUBLISHER_TYPE = env("OPENDATA_PUBLISHER_TYPE", default="NationalAuthority")

# A quarter's follow-up round is overdue this many days after the quarter ends, unless approved.
FOLLOWUP_OVERDUE_DAYS = env.int("FOLLOWUP_OVERDUE_DAYS", default=30)

# History is for reading: a version is never restored over the publishing workflow.
SIMPLE_HISTORY_REVERT_DISABLED = True

# Security: strict by default, relaxed only where DEBUG asks for it.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page of the portal uses, refused on every response.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), interest-cohort=(), magnetometer=(), microphone=(), payment=(), usb=()"
)
# A failed CSRF check gets the plain 403 page, which reads nothing of the request body.
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# No third-party requests: everything the public site loads comes from this origin.
SECURE_CSP = {
    "default-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Who may frame the embeddable promise cards, the only pages that may be framed at all:
# "*" for any website, or a list such as "https://www.olofstrom.se,https://www.solvesborg.se".
EMBED_FRAME_ANCESTORS = env.list("EMBED_FRAME_ANCESTORS", default=["*"])

# One JSON object a line on stdout, each with the id of the request it belongs to, for an
# operator to ship; security events go to the "security" logger (security/events.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "security.logging.JSONFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "security": {"level": "INFO"},
        # django-axes tells of every login as free text; the security events say it already.
        "axes": {"level": "WARNING"},
    },
}
