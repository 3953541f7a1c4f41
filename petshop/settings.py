"""Petshop settings. Everything that differs between machines comes from the environment.

See README.md for the table of environment variables; `.env.example` lists them all.
"""

import ipaddress
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import babel
import babel.numbers
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional file; real environment variables win

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="insecure-local-development-key-do-not-use" if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "The SECRET_KEY environment variable is required when DEBUG is off "
        "(set SECRET_KEY, or DEBUG=true for local development)."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "petshop.apps.PetshopAdminConfig",  # django.contrib.admin with the shop's site (petshop/admin.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django.contrib.postgres",  # full-text and trigram lookups of the catalogue search (animals/search.py)
    "crispy_forms",
    "django_countries",
    "phonenumber_field",
    "crispy_bootstrap5",
    "bootstrap",
    "axes",
    "corsheaders",
    "ninja",  # the API docs page from the package's static files (without it, from a CDN)
    "ninja_jwt.token_blacklist",
    "accounts",
    "animals",
    "cart",
    "orders",
    "payments",
    "notifications",
    "favourites",
    "alerts",
]

MIDDLEWARE = [
    "petshop.middleware.RequestIdMiddleware",
    "petshop.middleware.RejectNulMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "petshop.urls"
WSGI_APPLICATION = "petshop.wsgi.application"
ASGI_APPLICATION = "petshop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "petshop.context_processors.shop",
                "cart.context_processors.cart",
                "favourites.context_processors.favourites",
            ],
            # `|money` (petshop.money.format_money) in every template, without a {% load %}.
            "builtins": ["petshop.templatetags.money"],
        },
    },
]

# Database: SQLite by default (zero setup), PostgreSQL through psycopg 3 when DATABASE_URL says so.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A worker reconnects every CONN_MAX_AGE seconds, and its next requests pay for a new PostgreSQL backend
    # (empty catalog caches, statements prepared and planned again). Ten minutes makes that rare; the health
    # check (a `SELECT 1` before each request's first query) still replaces a dead connection at once.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Prepared statements: with server-side parameters, psycopg prepares a query on its sixth run on a
    # connection, and PostgreSQL then skips parsing and planning it. Django leaves them off for connection
    # poolers: turn them off (false) behind a pooler in transaction mode that cannot keep prepared statements
    # (PgBouncer before 1.21).
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default, Django's built-in Redis backend for redis:// URLs.
CACHE_URL = env("CACHE_URL", default="locmemcache://")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="petshop"),
        }
    }
else:
    CACHES = {"default": env.cache_url_config(CACHE_URL)}

# Sessions: in the database by default so that any app server can serve any request;
# SESSION_CACHED=true keeps a copy in the cache (cached_db) for speed.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if env.bool("SESSION_CACHED", default=False)
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14

# Catalogue pages for anonymous visitors are cached this many seconds (0 turns it off).
CATALOGUE_CACHE_SECONDS = env.int("CATALOGUE_CACHE_SECONDS", default=0 if DEBUG else 60)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "animals:home"
LOGOUT_REDIRECT_URL = "animals:home"

# Brute-force protection (django-axes): 5 failures per account or per address in 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A successful log-in clears the failures of that account only (accounts.lockout.AccountLockoutHandler), never
# every failure from the same address: otherwise an attacker resets the count by logging in to their own account.
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "accounts.lockout.AccountLockoutHandler"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"  # one account, whatever the letter case typed
AXES_CLIENT_IP_CALLABLE = "petshop.clients.client_ip"  # the same address as every other per-address limit
AXES_VERBOSE = False

# Proxies (load balancers) in front of the app servers, each appending the address it received the request from
# to X-Forwarded-For. Every per-address limit (the lock-out, the e-mail flood limits, the API's throttle) takes the
# client's address from there (petshop.clients.client_ip); with 0, from REMOTE_ADDR, the header ignored.
# API_NUM_PROXIES is its name from before it applied to the whole shop.
NUM_PROXIES = env.int("NUM_PROXIES", default=env.int("API_NUM_PROXIES", default=0))

# E-mails a visitor can make the shop send (sign-up, confirmation, password reset): at most this many an hour
# to one address, and this many an hour asked for from one client address (petshop.clients.client_ip).
# Counted in the cache, so every app server shares the counts when CACHE_URL is Redis. Over a limit the page
# answers the same and nothing is sent.
ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = env.int("ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR", default=3)
ACCOUNT_EMAILS_PER_IP_PER_HOUR = env.int("ACCOUNT_EMAILS_PER_IP_PER_HOUR", default=20)
# How long the link in a sign-up confirmation e-mail works.
ACCOUNT_CONFIRMATION_DAYS = env.int("ACCOUNT_CONFIRMATION_DAYS", default=3)

# The JSON API (/api/v1/): JWT bearer tokens only (no session), throttled per client address and per user.
NINJA_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("API_ACCESS_TOKEN_MINUTES", default=5)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("API_REFRESH_TOKEN_DAYS", default=7)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "SIGNING_KEY": SECRET_KEY,
    "USER_ID_FIELD": "id",
}
API_THROTTLE_ANON = env("API_THROTTLE_ANON", default="120/min")  # per client address, without a token
API_THROTTLE_USER = env("API_THROTTLE_USER", default="240/min")  # per user, with a token
NINJA_NUM_PROXIES = NUM_PROXIES
# CORS is off unless API_CORS_ORIGINS lists the origins (https://app.example.com) allowed to call the API.
CORS_ALLOWED_ORIGINS = env.list("API_CORS_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
# The shop speaks English only: without the translation machinery every {% url %}, date and number on a page
# skips a per-request language lookup. Dates and admin stay English.
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))

# Uploaded media on the local disk by default; MEDIA_STORAGE=s3 puts it in S3-compatible object storage.
if env("MEDIA_STORAGE", default="local") == "s3":
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME", default=""),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "file_overwrite": False,
            "querystring_auth": False,
        },
    }
else:
    _media_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _media_storage,
    "staticfiles": {
        # Hashed, compressed names in production (run collectstatic); plain names for development and tests.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env.bool("STATIC_MANIFEST", default=not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_MAX_AGE = 0 if DEBUG else 60 * 60 * 24 * 365
WHITENOISE_USE_FINDERS = DEBUG

# E-mail: console by default, smtp://user:password@host:port for a real server.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_email_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": env.int("EMAIL_TIMEOUT", default=10),
}
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": _email_options if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    }
}
if MAILERS["default"]["BACKEND"] == "django.core.mail.backends.console.EmailBackend":
    # Development: each e-mail decoded (no quoted-printable), so links stay on one line and can be clicked.
    MAILERS["default"]["BACKEND"] = "notifications.console.EmailBackend"
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Petshop <shop@petshop.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background jobs (Celery): the broker is CELERY_BROKER_URL, else the Redis of CACHE_URL. Without either
# (`make run`, the unit tests) tasks run eagerly, in the process that queues them, after the commit.
CELERY_BROKER_URL = env(
    "CELERY_BROKER_URL", default=CACHE_URL if CACHE_URL.startswith(("redis://", "rediss://")) else ""
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not CELERY_BROKER_URL)
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"  # never used in eager mode
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a message is taken off the queue once its task has finished...
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # ...and put back when the worker running it dies
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A message taken by a worker that then vanished goes back to the queue after this many seconds; the outbox
# sweep (a beat job, petshop/celery.py) re-queues such e-mails sooner. Longer than the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)}
CELERY_TIMEZONE = TIME_ZONE
# The periodic jobs (beat_schedule) are in petshop/celery.py; collection reminders go out at this hour.
SHOP_REMINDER_HOUR = env.int("SHOP_REMINDER_HOUR", default=9)
# The outbox: retry delays in seconds after each failed attempt (then failed); sent rows kept this many days.
NOTIFICATION_RETRY_DELAYS = [
    int(delay)
    for delay in env.list(
        "NOTIFICATION_RETRY_DELAYS",
        default=[
            "30",
            "60",
            "120",
            "300",
            "600",
            "1800",
            "3600",
            "7200",
            "14400",
            "14400",
            "14400",
            "14400",
            "14400",
            "14400",
            "14400",
        ],
    )
]
NOTIFICATION_STUCK_SECONDS = env.int("NOTIFICATION_STUCK_SECONDS", default=180)
NOTIFICATION_KEEP_DAYS = env.int("NOTIFICATION_KEEP_DAYS", default=90)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The shop
SHOP_NAME = env("SHOP_NAME", default="Petshop")
# The public address: every absolute link in an e-mail starts with it (never with the request's Host header).
# With DEBUG off it must be set to a public address; SITE_URL_ALLOW_LOCAL=true accepts a loopback one for
# production-mode runs on this machine (tests, `make serve`, the bench scripts).
SITE_URL_ALLOW_LOCAL = env.bool("SITE_URL_ALLOW_LOCAL", default=False)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000" if DEBUG or SITE_URL_ALLOW_LOCAL else "").rstrip("/")
if not DEBUG and not SITE_URL_ALLOW_LOCAL:
    _site_host = urlsplit(SITE_URL).hostname or ""
    try:
        _site_ip = ipaddress.ip_address(_site_host)
    except ValueError:
        _site_ip = None
    if (
        _site_host in {"", "localhost"}
        or _site_host.endswith(".localhost")
        or (_site_ip is not None and (_site_ip.is_loopback or _site_ip.is_unspecified))
    ):
        raise ImproperlyConfigured(
            "SITE_URL must be the shop's public address (https://shop.example.com) when DEBUG is off: "
            "links in e-mails are built from it. For a production-mode run on this machine set "
            "SITE_URL_ALLOW_LOCAL=true."
        )
SHOP_CURRENCY = env("SHOP_CURRENCY", default="usd").lower()
# How prices are written (petshop.money): a Babel/CLDR locale, e.g. en_US -> "$1,729.00", de_DE -> "1.729,00 €".
SHOP_LOCALE = env("SHOP_LOCALE", default="en_US")
try:
    babel.Locale.parse(SHOP_LOCALE)
    babel.numbers.get_currency_symbol(SHOP_CURRENCY.upper(), locale=SHOP_LOCALE)
except (ValueError, babel.UnknownLocaleError) as error:
    raise ImproperlyConfigured(
        f"SHOP_LOCALE={SHOP_LOCALE!r} is not a locale Babel knows (e.g. en_US, de_DE)."
    ) from error
if len(SHOP_CURRENCY) != 3 or not SHOP_CURRENCY.isalpha():
    raise ImproperlyConfigured(f"SHOP_CURRENCY={SHOP_CURRENCY!r} is not an ISO 4217 currency code (e.g. usd, eur).")
SHOP_RESERVATION_MINUTES = env.int("SHOP_RESERVATION_MINUTES", default=30)
SHOP_COLLECTION_DAYS_AHEAD = env.int("SHOP_COLLECTION_DAYS_AHEAD", default=14)
# Opening days, Monday=0 ... Sunday=6 (default: Tuesday to Saturday).
SHOP_STAFF_EMAIL = env("SHOP_STAFF_EMAIL", default="")  # gets a notice of each paid order; empty: none
SHOP_OPENING_WEEKDAYS = [int(day) for day in env.list("SHOP_OPENING_WEEKDAYS", default=["1", "2", "3", "4", "5"])]
# Where and when animals are collected, shown on the order page, the paid e-mail and the calendar file.
# Opening hours: weekday ranges and times separated by ";", e.g. "Mon-Fri 10:00-18:00; Sat 10:00-16:00".
SHOP_ADDRESS = env("SHOP_ADDRESS", default="12 Market Street, Springfield, IL 62701, United States")
SHOP_PHONE = env("SHOP_PHONE", default="+12175550100")
SHOP_OPENING_HOURS = env("SHOP_OPENING_HOURS", default="Tue-Sat 10:00-18:00")
# The shop's country (ISO 3166 code): the default country of the checkout and the region of local phone numbers.
SHOP_COUNTRY = env("SHOP_COUNTRY", default="US").upper()
PHONENUMBER_DEFAULT_REGION = SHOP_COUNTRY
PHONENUMBER_DB_FORMAT = "E164"
PHONENUMBER_DEFAULT_FORMAT = "INTERNATIONAL"

# Payments: Stripe when STRIPE_SECRET_KEY is set, otherwise the local demo provider.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
STRIPE_TIMEOUT = env.int("STRIPE_TIMEOUT", default=10)
PAYMENTS_ALLOW_DEMO = env.bool("PAYMENTS_ALLOW_DEMO", default=False)
if not STRIPE_SECRET_KEY and not (DEBUG or PAYMENTS_ALLOW_DEMO):
    raise ImproperlyConfigured(
        "Payments are not configured: set STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and "
        "STRIPE_WEBHOOK_SECRET, or PAYMENTS_ALLOW_DEMO=true to take demo payments (no money moves)."
    )
if STRIPE_API_BASE and STRIPE_SECRET_KEY.startswith(("sk_live_", "rk_live_")):
    raise ImproperlyConfigured("STRIPE_API_BASE may not be used together with a live STRIPE_SECRET_KEY.")

# Security headers, always on
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *env.list("CSP_IMG_SRC", default=[])],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

# HTTPS hardening, switched on by the environment (behind TLS in production).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "petshop.logging.RequestIdFilter"}},
    "formatters": {
        "structured": {
            "()": "petshop.logging.KeyValueFormatter",
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "structured",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of every PDF at INFO; its warnings (a file it could not load) still show.
        "weasyprint": {"level": "WARNING"},
    },
}

CSRF_FAILURE_VIEW = "petshop.views.csrf_failure"
