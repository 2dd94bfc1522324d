"""Settings for the MiCenter portal, read from the environment.

Development needs nothing set: SQLite in the project folder, tasks run eagerly, email goes to
the console. Production sets DEBUG=0 and at least SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL,
REDIS_URL and CELERY_BROKER_URL; it refuses to start without a real secret key.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from micenter.log_format import json_formatter

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# A key that is only good for a laptop; production refuses it.
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret-micenter"  # noqa: S105

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Set when a reverse proxy in front of the site sets X-Real-IP (see docs in README).
MICENTER_TRUST_X_REAL_IP = env.bool("MICENTER_TRUST_X_REAL_IP", default=False)
# The address links in emails point to.
# The day the centre opened: "since opening" and "the first year" in reports start here.
MICENTER_OPENED_ON = env.str("MICENTER_OPENED_ON", default="2023-10-23")
# Guest (not signed-in) event registrations allowed from one address per hour; 0: no limit.
MICENTER_GUEST_REGISTRATIONS_PER_HOUR = env.int("MICENTER_GUEST_REGISTRATIONS_PER_HOUR", default=20)
MICENTER_SITE_URL = env.str("MICENTER_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # modeltranslation must come before the admin so translated fields show there.
    "modeltranslation",
    "micenter.apps.MicenterAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_countries",
    # Ours: the project package holds site-wide pages and commands.
    "core",
    "micenter",
    "accounts",
    "audit",
    "notifications",
    "visitors",
    "consultations",
    "events",
    "reports",
]

MIDDLEWARE = [
    "micenter.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffSessionMiddleware",
    "accounts.middleware.StaffMfaRequiredMiddleware",
    "micenter.middleware.NoStoreWhenSignedInMiddleware",
]

ROOT_URLCONF = "micenter.urls"
WSGI_APPLICATION = "micenter.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "micenter.demo_build.context",
            ],
        },
    },
]

# Listed first wherever a citizenship is chosen, in this order (ISO 3166 codes).
MICENTER_COMMON_CITIZENSHIPS = env.list(
    "MICENTER_COMMON_CITIZENSHIPS", default=["UA", "BY", "RU", "GE", "UZ", "KZ"]
)

# Where `make run`'s demo-year builder leaves its marker and log (micenter.demo_build).
MICENTER_DEMO_DIR = env.path("MICENTER_DEMO_DIR", default=BASE_DIR)

# Django's form templates, the common ones written in Python (the same HTML, much faster).
FORM_RENDERER = "core.form_renderer.FormRenderer"

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections, checked before reuse so a restarted PostgreSQL heals by itself.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # `make run`: the site serves while the demo year is written by another process. WAL
    # lets pages read meanwhile; a write waits its turn (BEGIN IMMEDIATE, up to 20 s) rather
    # than failing at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        transaction_mode="IMMEDIATE",
        timeout=20,
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Short, index-driven queries on data that fits in memory (or on SSD): JIT compilation
    # only adds tens of milliseconds, and index lookups cost little more than a scan.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = env.str(
        "DATABASE_SESSION_OPTIONS", default="-c jit=off -c random_page_cost=1.1"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (login rate limits are kept here, so it must be shared between processes) ------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                # A Redis outage must not turn every page into an error: the cache answers
                # "miss" and the site goes on (rate limits are then briefly not counted).
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
            "KEY_PREFIX": "micenter",
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Django's own: sessions live in the database and are read through the cache, so a cache
# outage signs nobody out. A session holds ids only (who is signed in, not what they may do).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Visitors stay signed in for two weeks; staff sessions end after an idle hour
# (accounts.middleware.StaffSessionMiddleware).
SESSION_COOKIE_AGE = 14 * 24 * 3600
# Messages ("Visit logged for <name>") travel in the browser's signed cookie, never in the
# session: the session is read through Redis, which must hold nothing personal.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"
MICENTER_STAFF_SESSION_IDLE_SECONDS = env.int("MICENTER_STAFF_SESSION_IDLE_SECONDS", default=3600)

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # allauth's (sign-in by email; Django's ModelBackend underneath, for the admin). Who is
    # signed in, their roles, permissions and authenticator app are read from the database on
    # every request, in one query: a deactivated account or a removed role stops at the next
    # request, however it changed.
    "accounts.authentication.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Five wrong passwords for one account in five minutes lock it for the rest of the window.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "MiCenter"
MICENTER_STAFF_MFA_REQUIRED = env.bool("MICENTER_STAFF_MFA_REQUIRED", default=not DEBUG)

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "lt"
LANGUAGES = [
    ("lt", _("Lithuanian")),
    ("en", _("English")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our corrections to Django's date formats (core/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["core.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Vilnius"
MODELTRANSLATION_DEFAULT_LANGUAGE = "lt"
MODELTRANSLATION_LANGUAGES = ("lt", "en", "uk", "ru")
# A text missing in the reader's language falls back to English, then Lithuanian.
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "lt"), "en": ("lt",)}
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Files only their owner may download (report exports), served by a view that checks who asks;
# never under MEDIA_ROOT, which the web server may serve to anyone.
MICENTER_PRIVATE_ROOT = Path(env.str("MICENTER_PRIVATE_ROOT", default=str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Email ----------------------------------------------------------------------------------
# EMAIL_URL, e.g. smtp+tls://user:password@mail.example.org:587 (default: print to console).
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
    "timeout": 30,
}
MAILERS = {
    "default": {
        # EMAIL_BACKEND (a dotted path) overrides EMAIL_URL's; the fault tests use it.
        "BACKEND": env.str("EMAIL_BACKEND", default=_email["EMAIL_BACKEND"]),
        "OPTIONS": _smtp_options if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="MiCenter <no-reply@micenter.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A message being handed to the mail server by a worker is left alone this long before
# another worker may take it over (the first one is then assumed dead).
MICENTER_EMAIL_CLAIM_SECONDS = env.int("MICENTER_EMAIL_CLAIM_SECONDS", default=300)
MICENTER_EMAIL_MAX_ATTEMPTS = 8

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# The worker logs through LOGGING below (JSON lines with LOG_FORMAT=json), like the web.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
# A request must never hang on a broker that is down: publishing fails fast and the
# outbox sweep delivers the message later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE = {
    "send-pending-emails": {
        "task": "notifications.tasks.emails_send_pending",
        "schedule": timedelta(minutes=1),
    },
    "remind-registrants": {
        "task": "events.tasks.reminders_send",
        "schedule": crontab(minute=5),
    },
    "release-held-places": {
        "task": "events.tasks.waitlists_release",
        "schedule": crontab(minute=10),
    },
    "monthly-report": {
        "task": "reports.tasks.monthly_report_send",
        "schedule": crontab(day_of_month=1, hour=7, minute=0),
    },
    "erase-records-past-retention": {
        "task": "visitors.tasks.retention_apply",
        "schedule": crontab(hour=3, minute=15),
    },
}

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    # allauth shows the TOTP QR code as a data: image.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # /healthz is probed over plain HTTP by the process supervisor on the machine itself.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if ALLOWED_HOSTS == ["127.0.0.1", "localhost", "[::1]"] and not env.bool(
        "MICENTER_ALLOW_LOCAL_HOSTS", default=False
    ):
        raise ImproperlyConfigured("ALLOWED_HOSTS must name the site's host when DEBUG is off.")

# --- Logging: one line per event on stderr; the web server and workers add the request id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "micenter.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        # LOG_FORMAT=json: one JSON object per line, for a log collector.
        "json": json_formatter("request_id", "process"),
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env.str("LOG_FORMAT", default="plain"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Python's warnings (Django captures them) in the same format as every other line.
        "py.warnings": {"handlers": ["console"], "propagate": False},
        "django.db.backends": {"level": "INFO"},
        # PDF rendering reports every step and every font it subsets at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "matplotlib": {"level": "WARNING"},
    },
}

# --- The centre's public contact details (shown on the home page) ------------------------
MICENTER_CONTACT = {
    "address": env.str("MICENTER_CONTACT_ADDRESS", default="Vilnius, Lithuania"),
    "phone": env.str("MICENTER_CONTACT_PHONE", default="+370 5 000 0000"),
    "email": env.str("MICENTER_CONTACT_EMAIL", default="info@micenter.local"),
}
