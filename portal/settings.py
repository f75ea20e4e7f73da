"""Settings for the Cytokine Portal, read from the environment.

Every value a deployment changes comes from an environment variable; see the
README's configuration table. With no environment at all the portal refuses to
start unless DEBUG is on, so a forgotten SECRET_KEY can never reach production.
"""

import ipaddress
import logging
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from cytokines.ops.log_format import FORMATTERS

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set in the environment when DEBUG is off.")
    # Development only: DEBUG is on, so this key never signs anything that matters.
    SECRET_KEY = "django-insecure-development-only-key-not-for-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "import_export",
    "simple_history",
    "csp",
    "django_ratelimit",
    "axes",
    "mailer",
    "anymail",
    "cytokines",
]

MIDDLEWARE = [
    # Health probes (/healthz/live, /healthz/ready) are answered here, before the HTTPS redirect, the host
    # check and the page cache: load balancers probe over plain HTTP with an internal Host (cytokines/ops/health.py).
    "cytokines.ops.health.HealthProbeMiddleware",
    # Then: an oversized body is refused before the CSRF check or anything else reads it.
    "cytokines.ops.request_limits.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # Compresses what the middleware below returns, cached pages included; skips pages that carry secrets.
    "cytokines.ops.compression.SafeGZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Refuses NUL in URLs and cookies; decides what shared caches may keep (cytokines/ops/http_policy.py).
    "cytokines.ops.http_policy.HttpPolicyMiddleware",
    # The language comes from the path only (/es/...): before the page cache and the slash check, which
    # resolve the path, and the prefix matches only in its own language.
    "cytokines.ops.languages.PathLanguageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Cached public pages are answered here; everything below runs only for pages that are rendered.
    "cytokines.public.cache.PublicPageCacheMiddleware",
    "cytokines.public.time_zone.SiteTimeZoneMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Public reads of anonymous readers may go to the replica; it needs to know who is signed in.
    "cytokines.ops.replica.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into a clear "locked" page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an account/address pair is locked out
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "portal.urls"

_loaders = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cytokines.public.context_processors.site",
            ],
            # Compiled templates are cached outside DEBUG; in DEBUG edits show up at once.
            "loaders": _loaders if DEBUG else [("django.template.loaders.cached.Loader", _loaders)],
        },
    }
]

WSGI_APPLICATION = "portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# A streaming replica of the same database, for public reads (cytokines/ops/replica.py decides which):
# the admin, the workflow, forms, webhooks and signed-in staff always use the primary above.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
READ_FROM_REPLICA = bool(DATABASE_REPLICA_URL)
DATABASE_ROUTERS = ["cytokines.ops.replica.PrimaryReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Readers' languages: English at the plain paths, Spanish under /es/ (cytokines/ops/languages.py). The
# interface's Spanish is in locale/es/LC_MESSAGES/django.po, compiled by `make install`.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our date and number formats per language (portal/formats/<lang>/formats.py), before Django's own.
FORMAT_MODULE_PATH = ["portal.formats"]
# Every review date ("last reviewed", "next review due"), notice and reminder is a day in this zone; the
# demo charity is in the US Eastern zone. Change it for a charity elsewhere (an IANA name). Web requests
# use the zone in the admin's site settings (same default), so Editors can change it without a deploy.
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
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

REDIS_URL = os.environ.get("REDIS_URL", "")


def _redis(**options):
    if not REDIS_URL:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"SOCKET_TIMEOUT": 1, "SOCKET_CONNECT_TIMEOUT": 1, **options},
    }


# "default" holds the page cache, which handles (and logs) its own failures: a Redis outage means pages
# render from the database. Rate-limit counters use the same Redis through an alias that turns a
# failure into "no answer" (logged), and django-ratelimit then lets the post through: while Redis is
# down the forms keep working without limits rather than failing. Redis itself must run with a memory
# limit and an evicting policy (README, Deployment).
CACHES = {"default": _redis(), "ratelimit": _redis(IGNORE_EXCEPTIONS=True)}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
RATELIMIT_USE_CACHE = "ratelimit"
RATELIMIT_FAIL_OPEN = True

# Rate limits must be counted in one place for all worker processes: production sets REDIS_URL.
# In development (one process) the local-memory cache is good enough, so the check is silenced there.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"] if DEBUG and not REDIS_URL else []

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cytokine Portal <noreply@localhost>")
# A hung mail server must never hold a worker for long; requests never talk to it at all (below).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))

# Every e-mail goes through a queue in the database (django-mailer): a request only inserts a row in its
# own transaction, and `manage.py send_pending_mail` sends through EMAIL_BACKEND (SMTP, or django-anymail
# for an e-mail service, e.g. EMAIL_BACKEND=anymail.backends.postmark.EmailBackend).
MAILER_EMAIL_BACKEND = EMAIL_BACKEND
MAILER_USE_FILE_LOCK = False  # each message is claimed with a row lock, which also works across hosts
MAILER_ERROR_HANDLER = "cytokines.ops.mail.defer_on_failure"
# Asked before any e-mail is queued: suppressed addresses are removed (cytokines/supporters/suppression.py).
MAIL_RECIPIENT_FILTER = "cytokines.supporters.suppression.blocked_recipients"
MAILER_EMAIL_LOG_MESSAGE_DATA = False  # the send log keeps ids and results, not addresses or bodies
MAILER_EMAIL_MAX_RETRIES = int(os.environ.get("MAIL_MAX_RETRIES", "8"))
MAIL_RETRY_FIRST_DELAY_SECONDS = 300  # then doubled on each failure: 5 min, 10, 20, ... up to 12 h
# How many confirmation or pledge e-mails one address may be sent per day, whoever asks.
MAIL_PER_RECIPIENT_DAILY_LIMIT = int(os.environ.get("MAIL_PER_RECIPIENT_DAILY_LIMIT", "3"))
# Bounce and complaint webhooks of the e-mail service (django-anymail); refused without a secret.
ANYMAIL = {
    "WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", ""),
    "POSTMARK_SERVER_TOKEN": os.environ.get("POSTMARK_SERVER_TOKEN", ""),
}
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# Payments: the provider class, and the secret its webhooks are signed with (never in the code).
PAYMENT_PROVIDER = os.environ.get("PAYMENT_PROVIDER", "cytokines.supporters.payments.PledgeProvider")
PAYMENT_WEBHOOK_SECRET = os.environ.get("PAYMENT_WEBHOOK_SECRET", "")
# Stripe (PAYMENT_PROVIDER=cytokines.supporters.stripe_provider.StripeProvider): keys from the environment.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")  # only for a local stub; empty means Stripe itself
STRIPE_TIMEOUT_SECONDS = float(os.environ.get("STRIPE_TIMEOUT_SECONDS", "10"))
STRIPE_MAX_NETWORK_RETRIES = int(os.environ.get("STRIPE_MAX_NETWORK_RETRIES", "2"))

# The client address (rate limits, sign-in lockouts, logs) comes from cytokines/ops/client_address.py.
# TRUSTED_PROXIES: addresses or networks of the proxies in front of the app (e.g. "127.0.0.1" for nginx
# on the same host); X-Forwarded-For is read only on connections from them. Empty: the header is ignored.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
if os.environ.get("RATELIMIT_IP_META_KEY"):
    # The old advice (rate-limit on X-Forwarded-For as sent) let a client pick its own address.
    raise ImproperlyConfigured("RATELIMIT_IP_META_KEY is no longer read: set TRUSTED_PROXIES to your proxy's address.")
try:
    [ipaddress.ip_network(entry, strict=False) for entry in TRUSTED_PROXIES]
except ValueError as problem:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {problem}") from problem
RATELIMIT_IP_META_KEY = "cytokines.ops.client_address.client_ip"

# Exporting needs the "view" permission, importing "add". Formula escaping: cytokines/spreadsheets.py.
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_USE_TRANSACTIONS = True

# Admin login brute force: 5 failures for one username from one address lock that pair for an hour.
# An administrator unlocks by deleting the "access attempt" in the admin or with `manage.py axes_reset`.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "cytokines.ops.client_address.client_ip"

# Request size limits: no form here needs more; imports are limited separately (10 MB files).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
REQUEST_MAX_BODY_BYTES = 5 * 1024 * 1024  # any page but an import (form fields over 2 MB get a 400 anyway)
IMPORT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # an import file (cytokines/transfer/limits.py)
FILE_UPLOAD_HANDLERS = [
    "cytokines.ops.request_limits.LimitedUploadHandler",  # stops a body past the limit while it streams
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
FORM_RATE_LIMIT = os.environ.get("FORM_RATE_LIMIT", "10/m")  # per client address, donate and newsletter

# Messages live in a cookie, so the public page cache can tell when a reader has one waiting.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

# Security headers: strict whenever DEBUG is off. The TLS-terminating proxy sets X-Forwarded-Proto.
# PLAIN_HTTP=1 is the one documented exception: production settings served over plain HTTP on this
# machine for a trial (`make serve-prod`), with no HTTPS redirect, HSTS or secure-only cookies. The HTTPS
# checks that cannot pass then are silenced here, and `check --deploy` warns (portal.W004) as soon as
# the site's address or hosts are anything but this machine, so the mode cannot slip into production.
PLAIN_HTTP = env_bool("PLAIN_HTTP") and not DEBUG
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True) and not PLAIN_HTTP
    SECURE_HSTS_SECONDS = 0 if PLAIN_HTTP else int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True) and not PLAIN_HTTP
    SESSION_COOKIE_SECURE = not PLAIN_HTTP
    CSRF_COOKIE_SECURE = not PLAIN_HTTP
if PLAIN_HTTP:
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W004", "security.W008", "security.W012",
                              "security.W016"]  # fmt: skip
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content Security Policy: nothing is allowed unless listed; no inline script anywhere, nothing from other sites.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Browser features no page here uses are switched off for the page and anything it might embed.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer", "ambient-light-sensor", "autoplay", "bluetooth", "browsing-topics", "camera",
        "display-capture", "encrypted-media", "geolocation", "gyroscope", "hid", "idle-detection",
        "interest-cohort", "local-fonts", "magnetometer", "microphone", "midi", "payment",
        "publickey-credentials-get", "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
    ]
}  # fmt: skip
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Logs go to stdout: one JSON object per line in production (for a log collector), plain text in DEBUG.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": FORMATTERS,  # shared with gunicorn's logs (cytokines/ops/log_format.py)
    # Records about a request carry the client's address (not the proxy's) as client_ip; and no e-mail
    # address reaches a log line, whoever logs it (cytokines/ops/log_masking.py).
    "filters": {
        "client_address": {"()": "cytokines.ops.client_address.ClientAddressFilter"},
        "mask_email_addresses": {"()": "cytokines.ops.log_masking.MaskEmailAddresses"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["client_address", "mask_email_addresses"],
        }
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-mailer logs each recipient address at INFO: keep addresses out of the logs.
    "loggers": {"django.security.DisallowedHost": {"level": "ERROR"}, "mailer": {"level": "WARNING"},
                "httpx": {"level": "WARNING"}},
}

# Python warnings (a missing static folder, a deprecation) become log records in the same format, instead
# of plain text in the middle of the JSON stream.
logging.captureWarnings(True)

# Whole-page cache for anonymous readers (cytokines/public_cache.py); off only to measure without it.
PUBLIC_PAGE_CACHE = env_bool("PUBLIC_PAGE_CACHE", True)

# What the site says about itself lives in the admin's site settings (an Editor changes them, a second
# Editor approves). These values only stand in until a database has a live settings version.
PORTAL = {
    "NAME": os.environ.get("PORTAL_NAME", "Cytokine Portal"),
    "HELPLINE_PHONE": os.environ.get("PORTAL_HELPLINE_PHONE", "1-800-555-0142"),
    "HELPLINE_HOURS": os.environ.get("PORTAL_HELPLINE_HOURS", "Monday to Friday, 9 a.m. to 7 p.m. Eastern Time"),
    "FUNDING_STATEMENT": os.environ.get(
        "PORTAL_FUNDING_STATEMENT",
        "This content is funded by donations from the public. We accept no money from drug makers.",
    ),
    # What a tax receipt must say (demo values: a fictional US charity).
    "CHARITY_NAME": os.environ.get("PORTAL_CHARITY_NAME", "Cytokine Portal Foundation (demo)"),
    "CHARITY_NUMBER": os.environ.get("PORTAL_CHARITY_NUMBER", "EIN 00-0000000 (demo)"),
    "TAX_WORDING": os.environ.get(
        "PORTAL_TAX_WORDING",
        "Cytokine Portal Foundation (demo) is a tax-exempt organization under section 501(c)(3) of the "
        "Internal Revenue Code. No goods or services were provided in exchange for this contribution. "
        "Please keep this receipt for your tax records.",
    ),
}

# How long supporter data is kept; the privacy notice reads these, so its words match what happens.
PORTAL_RETENTION = {
    "UNCONFIRMED_SIGNUP_DAYS": int(os.environ.get("RETENTION_UNCONFIRMED_SIGNUP_DAYS", "30")),
    "FEEDBACK_MONTHS": int(os.environ.get("RETENTION_FEEDBACK_MONTHS", "12")),
    "MAIL_LOG_DAYS": int(os.environ.get("RETENTION_MAIL_LOG_DAYS", "90")),
    "UNSUBSCRIBED_DAYS": int(os.environ.get("RETENTION_UNSUBSCRIBED_DAYS", "30")),
    "DONATION_RECORD_YEARS": int(os.environ.get("RETENTION_DONATION_RECORD_YEARS", "7")),
}

# Backups (cytokines/ops/backup.py): where they go, how many are kept, and who can read them.
# Files are age-encrypted to these public keys when set; only BACKUP_AGE_IDENTITY (the private key, given
# to the machine that restores, never kept beside the backups) can read them.
# The staff calendar feed holds overdue reviews and those due within this many months.
REVIEW_CALENDAR_MONTHS = int(os.environ.get("REVIEW_CALENDAR_MONTHS", "12"))
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", BASE_DIR / "backups"))
BACKUP_AGE_RECIPIENTS = env_list("BACKUP_AGE_RECIPIENTS")
BACKUP_AGE_IDENTITY = os.environ.get("BACKUP_AGE_IDENTITY", "")
BACKUP_KEEP_DAILY = int(os.environ.get("BACKUP_KEEP_DAILY", "7"))
BACKUP_KEEP_WEEKLY = int(os.environ.get("BACKUP_KEEP_WEEKLY", "4"))
BACKUP_COMPRESSION = int(os.environ.get("BACKUP_COMPRESSION", "1"))  # gzip level: 1 is fast and small enough

# Reference checks (manage.py verify_references): Crossref and NCBI ask callers for a contact address,
# sent in the User-Agent and as mailto/email parameters. Required before the checks touch the network.
REFERENCE_CHECKS = {
    "CONTACT_EMAIL": os.environ.get("REFERENCE_CHECK_CONTACT_EMAIL", ""),
    "TOOL_NAME": "cytokine-portal",
    "NCBI_API_KEY": os.environ.get("NCBI_API_KEY", ""),  # optional: NCBI allows 10 requests/s instead of 3
    "MIN_INTERVAL_SECONDS": float(os.environ.get("REFERENCE_CHECK_INTERVAL_SECONDS", "1")),  # per host
    "TIMEOUT_SECONDS": float(os.environ.get("REFERENCE_CHECK_TIMEOUT_SECONDS", "10")),
    # Answer from recorded responses instead of the network (the demo; never in production).
    "RECORDED_DIR": os.environ.get("REFERENCE_CHECK_RECORDED_DIR", ""),
}

# Reading level of patient pages, shown to editors: US grade 6-8, reading age about 11 (Flesch-Kincaid).
READING_LEVEL = {
    "TARGET_GRADE_LOW": float(os.environ.get("READING_TARGET_GRADE_LOW", "6")),
    "TARGET_GRADE": float(os.environ.get("READING_TARGET_GRADE", "8")),
    "TARGET_READING_AGE": int(os.environ.get("READING_TARGET_AGE", "11")),
}
