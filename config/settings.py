"""Nærvær settings: one module, every difference between environments is an env var.

NAERVAER_ENV chooses the defaults: ``production`` (the default, so a forgotten variable
never yields a debug server), ``development`` (the local PostgreSQL database
``naervaer_demo``, Celery in-process) or ``test`` (local PostgreSQL and Redis). In
production every required variable must be set; a missing or malformed one stops start-up
with a message naming it.
"""

from datetime import timedelta
from pathlib import Path

import environ
import pghistory
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
ENVIRONMENTS = ("production", "development", "test")
NAERVAER_ENV = env.str("NAERVAER_ENV", default="production")
if NAERVAER_ENV not in ENVIRONMENTS:
    raise ImproperlyConfigured(
        f"NAERVAER_ENV={NAERVAER_ENV!r} er ugyldig; bruk en av {', '.join(ENVIRONMENTS)}."
    )
PRODUCTION = NAERVAER_ENV == "production"


def _setting(name, cast, dev_default=None, test_default=None):
    """Read an env var; required in production, with a default elsewhere."""
    default = {"development": dev_default, "test": test_default}.get(NAERVAER_ENV)
    if PRODUCTION or default is None:
        if name not in env.ENVIRON:
            raise ImproperlyConfigured(
                f"Miljøvariabelen {name} mangler (NAERVAER_ENV={NAERVAER_ENV})."
            )
        default = None
    try:
        return cast(name) if default is None else cast(name, default=default)
    except (ValueError, environ.ImproperlyConfigured) as exc:
        raise ImproperlyConfigured(f"Miljøvariabelen {name} har en ugyldig verdi: {exc}") from exc


def _bool(name: str, default: bool) -> bool:
    """A yes/no variable; anything but a clear yes or no is an error, not a silent False."""
    value = env.str(name, default="").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on", "ja"):
        return True
    if value in ("0", "false", "no", "off", "nei"):
        return False
    raise ImproperlyConfigured(f"Miljøvariabelen {name} må være true eller false, ikke {value!r}.")


def _int(name: str, default: int) -> int:
    """A whole number of at least 0, or an error naming the variable."""
    value = env.str(name, default="").strip()
    if not value:
        return default
    if not (value.isascii() and value.isdigit()):  # isdigit alone takes "²" and "٣"
        raise ImproperlyConfigured(f"Miljøvariabelen {name} må være et heltall, ikke {value!r}.")
    return int(value)


_DEV_KEY = "dev-only-not-secret-" + "x" * 40

DEBUG = _bool("DEBUG", default=NAERVAER_ENV == "development")
SECRET_KEY = _setting("SECRET_KEY", env.str, _DEV_KEY, _DEV_KEY)
if PRODUCTION and (len(SECRET_KEY) < 50 or SECRET_KEY == _DEV_KEY):
    raise ImproperlyConfigured(
        "Miljøvariabelen SECRET_KEY må være en tilfeldig verdi på minst 50 tegn."
    )
ALLOWED_HOSTS = _setting(
    "ALLOWED_HOSTS", env.list, ["127.0.0.1", "localhost"], ["testserver", "127.0.0.1", "localhost"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Miljøvariabelen ALLOWED_HOSTS er tom.")
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": _setting(
        "DATABASE_URL",
        env.db_url,
        "postgres://postgres@127.0.0.1:5432/naervaer_demo",
        "postgres://postgres@127.0.0.1:5432/naervaer",
    )
}
# The schema needs PostgreSQL; SQLite is accepted only so that checks which touch no
# database (makemigrations --check, compilemessages) run without a server.
if DATABASES["default"].get("ENGINE") not in (
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
):
    raise ImproperlyConfigured("Miljøvariabelen DATABASE_URL må begynne med postgres://.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Offline checks only: the PostgreSQL-only constraint options are expected there.
    SILENCED_SYSTEM_CHECKS = ["models.W047"]
DATABASES["default"].setdefault("OPTIONS", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
    DATABASES["default"]["CONN_MAX_AGE"] = _int(
        "CONN_MAX_AGE", default=0 if NAERVAER_ENV == "test" else 60
    )
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

REDIS_URL = _setting("REDIS_URL", env.str, "redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0")
if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(
        "Miljøvariabelen REDIS_URL må begynne med redis://, rediss:// eller unix://."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "pgtrigger",
    "pghistory",
    "axes",
    "config",
    "elever",
    "fravaer",
    "oppfolging",
    "rapporter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: no-store, private on every answer to a logged-in user.
    "felles.middleware.IngenLagringMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A GET reads the organisation's version once (calendars and timetables kept per process).
    "elever.cache.LesingMiddleware",
    # Who changed what, and from which page, goes into every history row.
    "pghistory.middleware.HistoryMiddleware",
    # After HtmxMiddleware and LoginRequiredMiddleware: turns the login redirect of an htmx
    # request (expired session) into HX-Redirect, see config/middleware.py.
    "felles.middleware.HtmxLoginRedirectMiddleware",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# History (DESIGN §8): every tracked model records inserts, updates and deletes; each event
# row carries its own context (user and page, or command) instead of pointing to a shared,
# upserted context row; and the event tables refuse UPDATE and DELETE (docs/privacy.md).
PGHISTORY_DEFAULT_TRACKERS = (
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
)
PGHISTORY_CONTEXT_FIELD = pghistory.ContextJSONField()
PGHISTORY_APPEND_ONLY = True

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "elever.context_processors.hovedmeny",
            ],
        },
    }
]

AUTH_USER_MODEL = "elever.User"
# AxesStandaloneBackend first: it refuses a locked-out combination before the password is
# even checked, so the right password is no use while the lock lasts.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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

# Login attempts (django-axes, DESIGN §8). A username is locked from one client address
# after LOGIN_FAILURE_LIMIT wrong passwords, for LOGIN_COOLOFF_MINUTES after the last one.
# Locking the combination, not the username alone or the address alone: a stranger cannot
# lock a teacher out from everywhere by guessing her password, and a pupil on the school's
# network (one address for the whole school) cannot lock out every teacher there. Guessing
# across many usernames gets each of them LOGIN_FAILURE_LIMIT tries per address; the password
# rules above make that useless.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = _int("LOGIN_FAILURE_LIMIT", default=5)
if AXES_FAILURE_LIMIT < 1:
    raise ImproperlyConfigured("Miljøvariabelen LOGIN_FAILURE_LIMIT må være minst 1.")
AXES_COOLOFF_TIME = timedelta(minutes=_int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "elever.views.innlogging_sperret"
AXES_USERNAME_CALLABLE = "elever.views.sperrenavn"
# Failed attempts are kept (they expire with the cool-off); successful logins are not
# logged with address and browser, since nothing here reads such a log.
AXES_DISABLE_ACCESS_LOG = True
AXES_CLIENT_IP_CALLABLE = "felles.http.klientadresse"
# How many proxies in front of the app append to X-Forwarded-For (1 in docker-compose.yml's
# set-up). 0 trusts no header: behind a proxy every client then shares the proxy's address,
# which is safe against guessing but locks a username for everyone; set it too high and a
# client could pick its own address per attempt.
TRUSTED_PROXY_COUNT = _int("TRUSTED_PROXY_COUNT", default=0)

# Skatteetaten's synthetic test numbers (month + 80) in demo and test data, never in production.
TILLAT_SYNTETISKE_FODSELSNUMMER = _bool("TILLAT_SYNTETISKE_FODSELSNUMMER", default=not PRODUCTION)
SESSION_COOKIE_AGE = _int("SESSION_COOKIE_AGE", default=8 * 60 * 60)

# Bokmål is the source language of every string; nynorsk and English are translations.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Production serves collected, hashed files; elsewhere WhiteNoise reads the source folders.
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static") if PRODUCTION else None
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Celery: Redis is broker and result store. In development tasks run in-process.
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = _bool("CELERY_TASK_ALWAYS_EAGER", default=NAERVAER_ENV == "development")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = 24 * 60 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 5}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 5


def _mailer(url: dict) -> dict:
    """Django 6.1's MAILERS entry from django-environ's reading of EMAIL_URL."""
    backend = url["EMAIL_BACKEND"]
    if not backend.endswith("smtp.EmailBackend"):
        return {"BACKEND": backend}
    options = {
        "host": url["EMAIL_HOST"],
        "port": url["EMAIL_PORT"],
        "username": url["EMAIL_HOST_USER"],
        "password": url["EMAIL_HOST_PASSWORD"],
        "use_tls": url.get("EMAIL_USE_TLS", False),
        "use_ssl": url.get("EMAIL_USE_SSL", False),
        "timeout": 10,
    }
    return {"BACKEND": backend, "OPTIONS": options}


# EMAIL_URL in django-environ's form, e.g. smtp+tls://user:password@smtp.example.no:587
MAILERS = {
    "default": _mailer(_setting("EMAIL_URL", env.email_url, "consolemail://", "consolemail://"))
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="naervaer@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: HTTPS everywhere in production; the proxy in front terminates TLS.
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^helse/$"]
    SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", default=365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# Only our own files run or style a page; scripts carry the per-response nonce. htmx is told
# not to eval or inject styles (templates/base.html), so it works under this policy.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(f"Miljøvariabelen LOG_LEVEL er ugyldig: {LOG_LEVEL!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # WeasyPrint reports every CSS property it ignores; only real problems matter.
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
        # django-axes logs every attempt at INFO; failures and lockouts are warnings.
        "axes": {"level": "WARNING"},
    },
}
