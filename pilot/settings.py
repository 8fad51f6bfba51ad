"""The one settings module. Everything that differs between machines comes from the environment.

Production is the default and fails closed: without DJANGO_DEBUG=1 the secrets and DATABASE_URL
must come from the environment (`.env.example`), and `python manage.py check --deploy` then reports
nothing. Development asks for debug explicitly (`make run` and `make test` set DJANGO_DEBUG=1) and
then gets development keys and an embedded PostgreSQL that just work.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {value!r}")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def required_in_production(*names: str, why: str = "") -> ImproperlyConfigured:
    verb = "is" if len(names) == 1 else "are"
    return ImproperlyConfigured(
        f"{' and '.join(names)} {verb} required when DJANGO_DEBUG is not 1 (production){why}. "
        "On a development machine set DJANGO_DEBUG=1, as `make run` and `make test` do."
    )


# ---------------------------------------------------------------- core

# Off unless asked for: a forgotten variable must never give debug pages and development keys.
DEBUG = envbool("DJANGO_DEBUG", "0")
SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise required_in_production("DJANGO_SECRET_KEY")
    SECRET_KEY = "dev-only-insecure-key-change-me-0123456789abcdefghijklmnopqrstuvwxyz"
ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_ID = 1

INSTALLED_APPS = [
    "accounts.apps.PilotAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "accounts",
    "cases",
    "piket",
    "research",
    "signalering",
    "bestpractices",
    "pilot.apps.PilotConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files: public, cached long
    # everything else: no-store unless @public_page; Permissions-Policy (docs/security.md)
    "pilot.http.HeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
    "accounts.middleware.LoginRequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "cases.middleware.CaseReadAuditMiddleware",  # innermost: what the view shows, nothing else
]

ROOT_URLCONF = "pilot.urls"
WSGI_APPLICATION = "pilot.wsgi.application"

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
                "django.template.context_processors.i18n",
                "pilot.context_processors.navigation",
            ],
        },
    }
]

# ---------------------------------------------------------------- database
# PostgreSQL only. In debug without DATABASE_URL an embedded PostgreSQL starts under .data/
# (pgserver); production never gets one: its data would sit in the container and be lost.

DATABASE_URL = env("DATABASE_URL")
if not DATABASE_URL:
    if not DEBUG:
        raise required_in_production(
            "DATABASE_URL", why=": the embedded PostgreSQL under .data/ is for development only"
        )
    from pilot.embedded_db import database_url

    DATABASE_URL = database_url(BASE_DIR / ".data")
# Connections stay open between requests (opening one costs more than most pages' queries), and
# are checked before reuse, so a restarted database costs one failed check, not an error page.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", "60"), conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every process and independent of Redis: rate limits and used TOTP codes live here.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "pilot_cache",
    }
}

# ---------------------------------------------------------------- accounts and login

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-guardian: no anonymous user row; anonymous visitors hold no object permissions.
ANONYMOUS_USER_NAME = None
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Pilot eerstelijn] "
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
# Failed logins: 5 per 5 minutes per account, 20 per minute per address; then the form refuses.
ACCOUNT_RATE_LIMITS = {
    # Successful logins are never throttled per address: a Juridisch Loket office arrives at
    # nine behind one address (allauth's default is 30 logins a minute per address).
    "login": None,
    "login_failed": env("LOGIN_FAILED_RATE_LIMIT", "20/m/ip,5/5m/key"),
    "reset_password": "20/m/ip,5/m/key",
}
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_FORMS = {
    "authenticate": "accounts.forms.MFAAuthenticateForm",
    "activate_totp": "accounts.forms.ActivateTOTPForm",
}
MFA_TOTP_ISSUER = "Pilot eerstelijn"
MFA_RECOVERY_CODE_COUNT = 10
# TOTP secrets are encrypted at rest with this key (Fernet, base64, 32 bytes). Several keys,
# comma-separated, newest first: old ones still decrypt.
MFA_ENCRYPTION_KEYS = envlist("MFA_ENCRYPTION_KEYS", "")
if not MFA_ENCRYPTION_KEYS:
    if not DEBUG:
        raise required_in_production("MFA_ENCRYPTION_KEYS")
    MFA_ENCRYPTION_KEYS = ["ZGV2LW9ubHktbWZhLWtleS1kby1ub3QtdXNlLTAwMDA="]

INVITATION_VALID_DAYS = envint("INVITATION_VALID_DAYS", "7")

# ---------------------------------------------------------------- cases: identity vault, retention
# The client's identity is encrypted in the application (Fernet; newest key first, old keys still
# decrypt). IDENTITY_HASH_KEY keys the HMAC that finds earlier cases of the same client.

IDENTITY_ENCRYPTION_KEYS = envlist("IDENTITY_ENCRYPTION_KEYS", "")
IDENTITY_HASH_KEY = env("IDENTITY_HASH_KEY")
if not (IDENTITY_ENCRYPTION_KEYS and IDENTITY_HASH_KEY):
    if not DEBUG:
        raise required_in_production("IDENTITY_ENCRYPTION_KEYS", "IDENTITY_HASH_KEY")
    IDENTITY_ENCRYPTION_KEYS = IDENTITY_ENCRYPTION_KEYS or [
        "ZGV2LW9ubHktdmF1bHQta2V5LWRvLW5vdC11c2UtMDA="
    ]
    IDENTITY_HASH_KEY = IDENTITY_HASH_KEY or "dev-only-identity-hash-key"
# Days after a case is closed: then the identity is destroyed, later the case is anonymised.
RETENTION_IDENTITY_DAYS = envint("RETENTION_IDENTITY_DAYS", "365")
RETENTION_CASE_DAYS = envint("RETENTION_CASE_DAYS", str(5 * 365))
# An open case without activity for this many days counts as ended on its last activity: the
# two periods above then run from that day (cases nobody closed are not kept for ever).
RETENTION_INACTIVE_DAYS = envint("RETENTION_INACTIVE_DAYS", "365")
# A sociale-kaart entry not checked for this many months is flagged as possibly outdated.
SOCIALE_KAART_STALE_MONTHS = envint("SOCIALE_KAART_STALE_MONTHS", "6")
# A warm handover whose receiver has not confirmed contact with the client ("opgepakt") within
# this many working days (Monday to Friday, not a Dutch public holiday) is flagged to the
# sending team and the location's coordinators.
HANDOVER_PICK_UP_WORKING_DAYS = envint("HANDOVER_PICK_UP_WORKING_DAYS", "3")

# ---------------------------------------------------------------- sessions
# In the database, so a Redis outage logs nobody out. The idle timeout is the session's expiry,
# renewed when SessionLifetimeMiddleware refreshes its activity stamp (at most once every
# SESSION_ACTIVITY_SECONDS: not a database write on every request); the middleware also ends a
# session after SESSION_ABSOLUTE_TIMEOUT.

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=envint("SESSION_IDLE_MINUTES", "30"))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=envint("SESSION_ABSOLUTE_HOURS", "12"))
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
SESSION_ACTIVITY_SECONDS = envint("SESSION_ACTIVITY_SECONDS", "60")
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# ---------------------------------------------------------------- security

SECURE = envbool("DJANGO_SECURE", "0" if DEBUG else "1")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
# The language switch's cookie: no script reads it (DutchFirstLocaleMiddleware does, server-side).
LANGUAGE_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", "31536000" if SECURE else "0")
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if envbool("DJANGO_BEHIND_PROXY", "0"):
    # One TLS-terminating proxy in front: trust its X-Forwarded-Proto and X-Forwarded-For
    # (allauth's login rate limit is per client address).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    ALLAUTH_TRUSTED_PROXY_COUNT = 1
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
# /health/ tells anyone only "ok" or "not ok"; the details (database, Redis, worker) need a
# signed-in administrator or this token in `Authorization: Bearer <token>` (monitoring).
HEALTH_TOKEN = env("HEALTH_TOKEN")

# Browser features no page uses, switched off for the pages and anything they might embed
# (pilot.http.HeadersMiddleware renders it as `camera=(), microphone=(), ...`).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

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
    }
}

# ---------------------------------------------------------------- language and time

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

# ---------------------------------------------------------------- static files

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / ".data" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Django's renderer with the common widgets written out in Python (pilot/renderers.py)
FORM_RENDERER = "pilot.renderers.FastRenderer"

# ---------------------------------------------------------------- e-mail

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
EMAIL_FILE_PATH = env("EMAIL_FILE_PATH", str(BASE_DIR / ".data" / "mail"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Pilot eerstelijn <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------- Redis and Celery
# With REDIS_URL a real worker and beat run; without it tasks run eagerly in-process and nothing
# on the beat schedule ever runs: outside debug pilot/checks.py warns (check pilot.W001, and a log
# line when the WSGI/ASGI application or a Celery process starts).

REDIS_URL = env("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
# Several instances can share one Redis by each using their own queue name.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", "pilot")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Keep our LOGGING (with its personal-data filter) in the worker too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "purge-expired-sessions": {
        "task": "accounts.tasks.purge_expired_sessions",
        "schedule": timedelta(seconds=envint("SESSION_PURGE_SECONDS", "3600")),
    },
    "apply-retention": {
        "task": "cases.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=17),
    },
    "flag-handovers-not-picked-up": {
        "task": "cases.tasks.flag_handovers_not_picked_up",
        "schedule": crontab(hour=7, minute=13),
    },
    "generate-piket-shifts": {
        "task": "piket.tasks.generate_shifts",
        "schedule": crontab(hour=2, minute=7),
    },
    "piket-reminders-and-waitlist": {
        "task": "piket.tasks.tick",
        "schedule": timedelta(minutes=5),
    },
    "expire-research-exports": {
        "task": "research.tasks.export_expire",
        "schedule": crontab(minute=23),
    },
    # the library: owners of entries past their review-by date (once per 30 days), and the
    # monthly digest (daily, so a missed day catches up; once per month per subscriber)
    "bestpractices-review-reminders": {
        "task": "bestpractices.tasks.remind_reviews",
        "schedule": crontab(hour=7, minute=41),
    },
    "bestpractices-digest": {
        "task": "bestpractices.tasks.send_digests",
        "schedule": crontab(hour=8, minute=5),
    },
    # the research dashboard's counts (seconds at the pilot's scale), kept warm in the cache
    "refresh-research-figures": {
        "task": "research.tasks.refresh_figures",
        "schedule": timedelta(minutes=30),
    },
    # the signaleringsoverleg's automatic signals (second-line feedback, piket not reached)
    "generate-signals": {
        "task": "signalering.tasks.generate_signals",
        "schedule": crontab(hour=4, minute=41),
    },
    # the month reports' counts of every active series, warm in the cache (entries live 3 h)
    "signalering-count-month-reports": {
        "task": "signalering.tasks.count_month_reports",
        "schedule": crontab(minute=17, hour="*/2"),
    },
    # agendas due and reminders of overdue actions (each mail recorded: never sent twice)
    "signalering-daily-mail": {
        "task": "signalering.tasks.daily",
        "schedule": crontab(hour=7, minute=37),
    },
}

# ---------------------------------------------------------------- logging
# No personal data in logs: messages only, never request bodies.


def refusal_without_traceback(record) -> bool:
    """A 403, 404 or 405 is an answer, not a failure: one line in the log, no traceback."""
    if getattr(record, "status_code", None) in (403, 404, 405):
        record.exc_info, record.exc_text = None, None
    return True


LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Redacts BSNs, e-mail addresses, phone numbers, ... and values of personal-data fields.
    "filters": {
        "personal_data": {"()": "cases.logging.PersonalDataFilter"},
        "refusals": {
            "()": "django.utils.log.CallbackFilter",
            "callback": refusal_without_traceback,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["refusals", "personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Instead of Django's default handlers, which would print (or mail) without the filter.
        "django": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO"), "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        # the embedded PostgreSQL says "exiting" after every command
        "pgserver": {"level": "WARNING"},
    },
}

# ---------------------------------------------------------------- research: exports
# Each study's pseudonym key is stored encrypted with these Fernet keys (newest first). Export
# files live in RESEARCH_EXPORT_DIR, outside MEDIA and STATIC: only the download view serves
# them, to the requester, until they expire (then a beat task deletes them).

RESEARCH_ENCRYPTION_KEYS = envlist("RESEARCH_ENCRYPTION_KEYS", "")
if not RESEARCH_ENCRYPTION_KEYS:
    if not DEBUG:
        raise required_in_production("RESEARCH_ENCRYPTION_KEYS")
    RESEARCH_ENCRYPTION_KEYS = ["ZGV2LW9ubHktcmVzZWFyY2gta2V5LWRvLW5vdC11c2U="]
RESEARCH_EXPORT_DIR = Path(env("RESEARCH_EXPORT_DIR", str(BASE_DIR / ".data" / "exports")))
RESEARCH_EXPORT_DAYS = envint("RESEARCH_EXPORT_DAYS", "7")  # a file is downloadable this long

# ---------------------------------------------------------------- piket

PIKET_WEEKS_AHEAD = envint("PIKET_WEEKS_AHEAD", "6")  # shifts generated this far ahead
PIKET_MIN_NOTICE_MINUTES = envint("PIKET_MIN_NOTICE_MINUTES", "60")  # book at least this early
PIKET_HORIZON_DAYS = envint("PIKET_HORIZON_DAYS", "28")  # and at most this far ahead
# cancel or move until this many minutes before the start
PIKET_CANCEL_CUTOFF_MINUTES = envint("PIKET_CANCEL_CUTOFF_MINUTES", "60")
PIKET_CALLBACK_MINUTES = envint("PIKET_CALLBACK_MINUTES", "15")  # then "not reached" may be marked
# a freed slot is held this long for the first on the waitlist
PIKET_WAITLIST_HOLD_HOURS = envint("PIKET_WAITLIST_HOLD_HOURS", "4")
PIKET_REMINDER_MINUTES = envint("PIKET_REMINDER_MINUTES", "120")  # reminder before the consult
# The pilot's rule "no toevoeging after advice through the piket" is a domain setting, changed
# in the application by national coordinators: piket.models.PiketRules.
