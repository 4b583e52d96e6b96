"""Hamafza's one settings module: everything that differs between machines comes from
the environment, so the embedded default (SQLite in ./var) and the scaled deployment
(PostgreSQL, Redis, several processes) run the same code.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HAMAFZA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in ./var."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
    # The API's documentation page from ninja's own static files, not a CDN (the CSP and
    # Iran's network both refuse one).
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "hamafza.core",
    "hamafza.network",
    "hamafza.occasions",
    "hamafza.mawkib",
    "hamafza.publishing",
    "hamafza.portal",
    # Last, so the apps' widget templates (core's Persian empty choice) come first.
    "django.forms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # First after security: every response gets the Content-Security-Policy, static files too.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hamafza.core.doors.AddressThrottleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hamafza.core.two_factor.TwoFactorMiddleware",
    "hamafza.core.doors.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hamafza.urls"
WSGI_APPLICATION = "hamafza.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hamafza.core.context_processors.shell",
            ],
            "builtins": ["hamafza.core.templatetags.persian"],
        },
    },
]

# Widgets render with the templates above, so core can give every dropdown's empty choice
# a Persian label (core/templates/django/forms/widgets/select_option.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database ---------------------------------------------------------------------------
# SQLite by default (WAL so readers never wait for the writer, IMMEDIATE transactions so
# two writers queue on the busy timeout instead of failing mid-transaction).
SQLITE_PATH = VAR_DIR / "hamafza.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A server that drops packets instead of refusing them must not hold a worker or a
    # request for the minutes TCP would wait: give up connecting after 5 s, and find a
    # dead connection within about 25 s.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=5,
        keepalives=1,
        keepalives_idle=10,
        keepalives_interval=5,
        keepalives_count=3,
    )
DATABASES["default"].setdefault("TEST", {})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# --- Cache and sessions -------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "hamafza"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Background tasks ---------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# --- Auth ---------------------------------------------------------------------------------
LOGIN_URL = "login"

# --- One throttle for every door that takes a password ------------------------------------
# django-axes counts the failed sign-ins of every authenticate() (the site, the Django
# admin, the password-change form) in the database, so all processes share the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 10
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Per username and address together: a stranger cannot lock a colleague out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "hamafza.core.clients.client_address"
AXES_USERNAME_CALLABLE = "hamafza.core.doors.axes_username"
AXES_LOCKOUT_CALLABLE = "hamafza.core.doors.locked_out"
AXES_VERBOSE = False
OTP_TOTP_ISSUER = "Hamafza"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time --------------------------------------------------------------------
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English"), ("ur", "اردو")]
LOCALE_PATHS = [BASE_DIR / "hamafza" / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Third-party assets are fetched from the npm registry at setup (package.json), never
# committed; the layout falls back to system fonts while they are absent.
_VAZIRMATN = BASE_DIR / "node_modules" / "vazirmatn" / "fonts" / "webfonts"
WEB_FONT = _VAZIRMATN.is_dir()
# core/fonts.css names the Vazirmatn files: it is served only beside them.
STATICFILES_DIRS = (
    [("vendor/vazirmatn", _VAZIRMATN), BASE_DIR / "hamafza" / "core" / "static_fonts"]
    if WEB_FONT
    else []
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "public_media": {"BACKEND": "hamafza.core.uploads.PublicMediaStorage"},
    "staticfiles": {
        "BACKEND": "hamafza.core.staticfiles.ManifestOrPlainStaticFilesStorage"
        if env_bool("STATIC_MANIFEST", not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without collectstatic's manifest, the plain names are served from the apps' folders
# (core.staticfiles) instead of every page failing.
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / "staticfiles.json").exists()
# Uploads (core.uploads, core.media). MEDIA_ROOT is private: never served as a folder,
# only through the apps' permission-checked views and the gate for published posts' photos.
# PUBLIC_MEDIA_ROOT holds files public from birth; the proxy may serve it as it is.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
PUBLIC_MEDIA_URL = "/media/public/"
PUBLIC_MEDIA_ROOT = Path(os.environ.get("PUBLIC_MEDIA_ROOT", VAR_DIR / "media-public"))
# Behind nginx: the internal location for MEDIA_ROOT, so that the app only says yes and the
# proxy sends the bytes (X-Accel-Redirect). Unset: the app sends them.
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")

# --- Mail and SMS -------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hamafza@localhost")
# The log backend writes messages to the log (development, the demo); the Kavenegar client
# is "hamafza.core.sms.kavenegar.KavenegarBackend" (docs in that module).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "hamafza.core.sms.log.LogBackend")
KAVENEGAR_API_KEY = os.environ.get("KAVENEGAR_API_KEY", "")
KAVENEGAR_SENDER = os.environ.get("KAVENEGAR_SENDER", "")
# One-time code templates approved in Kavenegar's panel: purpose=template for Persian,
# lang:purpose=template for English and Urdu; purposes: signin, reset, application, request.
KAVENEGAR_TEMPLATES = os.environ.get("KAVENEGAR_TEMPLATES", "")
KAVENEGAR_BASE_URL = os.environ.get("KAVENEGAR_BASE_URL", "https://api.kavenegar.com")

# --- Security (strict unless running the local embedded default) --------------------------
SECURE_SSL = env_bool("SECURE_SSL")
SESSION_COOKIE_SECURE = SECURE_SSL
CSRF_COOKIE_SECURE = SECURE_SSL
SECURE_SSL_REDIRECT = SECURE_SSL
SECURE_HSTS_SECONDS = 31536000 if SECURE_SSL else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_SSL
SECURE_HSTS_PRELOAD = SECURE_SSL
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_SSL else None
# How many reverse proxies of ours stand in front of the app (each appends to
# X-Forwarded-For); rate limits key on the address the nearest untrusted hop reported.
TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The Content-Security-Policy (django-csp) on every response: only our own files run or
# style the page. No page has an inline script, style element or style attribute (a
# browser test walks every role's pages for violations), and the portal's pages are cached
# whole, so no nonce is needed. Photos and charts come from this origin; data: is for the
# small images the admin's and the browsers' own stylesheets draw.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_NONE],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    },
}
# A refused form (an old page, cookies off) gets a Persian page in the layout.
CSRF_FAILURE_VIEW = "hamafza.core.views.csrf_failure"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Every handler scrubs the secrets outside APIs carry in their URLs (core.redaction).
    "filters": {"redact": {"()": "hamafza.core.redaction.RedactingFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # Refusals (403, 404, 409) are answers, not incidents; the access log has them.
    "loggers": {"django.request": {"level": "ERROR"}, "axes": {"level": "WARNING"}},
}

SITE_NAME = _("هم‌افزا")

# A channel connection may point at its own platform's API (each platform module names
# its host), or at a host listed here for any platform (a proxy; https only). Local test
# servers are allowed only where PUBLISHING_ALLOW_LOCAL_API is set (tests, benchmarks).
PUBLISHING_API_HOSTS = set(env_list("PUBLISHING_API_HOSTS", ""))
PUBLISHING_ALLOW_LOCAL_API = env_bool("PUBLISHING_ALLOW_LOCAL_API")
# The site's public address, for the links to posts that go out to the channels.
PUBLIC_SITE_URL = os.environ.get("PUBLIC_SITE_URL", "")
# The Graph API version the Instagram adapter asks (in its URLs): Meta keeps a version for
# about two years, so it is moved on by configuration, not by a release.
INSTAGRAM_GRAPH_VERSION = os.environ.get("INSTAGRAM_GRAPH_VERSION", "v21.0")
