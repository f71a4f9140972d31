"""Django settings for Parlons.

Everything an operator may change is read once, in ``parlons.config.env``; this file
only turns that into Django settings.  The same code runs embedded (SQLite, local
memory, files) and in production (PostgreSQL, Redis, SMTP or a provider).
"""

import os

from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from parlons.config import env as environment

ENV = environment.read()
BASE_DIR = environment.ROOT
VAR_DIR = ENV.var_dir
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = ENV.secret_key
DEBUG = ENV.debug
ALLOWED_HOSTS = ENV.allowed_hosts
SITE_URL = ENV.site_url.rstrip("/")

INSTALLED_APPS = [
    # kernel
    "parlons.core.participants",
    "parlons.core.organisations",
    "parlons.core.processes",
    "parlons.core.audit",
    "parlons.core.registry",
    "parlons.core.operations",
    "parlons.core.notifications",
    # the contribution toolkit modules share
    "parlons.contributions",
    # modules
    "parlons.modules.pages",
    "parlons.modules.interpellations",
    "parlons.modules.ideas",
    "parlons.modules.surveys",
    "parlons.modules.budgets",
    "parlons.modules.petitions",
    "parlons.modules.debates",
    # shells
    "parlons.portal",
    "parlons.backoffice",
    "parlons.api",
    # third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_tasks_db",
    # django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
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
    "parlons.core.tenancy.middleware.ScopeMiddleware",
]

ROOT_URLCONF = "parlons.config.urls"
WSGI_APPLICATION = "parlons.config.wsgi.application"
ASGI_APPLICATION = "parlons.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parlons.portal.context.site",
            ],
            "builtins": ["parlons.lib.templatetags.translated"],
        },
    }
]

DATABASES = {"default": environment.database_from_url(ENV.database_url)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "participants.Participant"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:home"

# allauth: login by e-mail, confirmation by e-mail, login by code, TOTP.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_ADAPTER = "parlons.core.notifications.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Parlons] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "request_login_code": "20/m/ip,3/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Parlons"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "src" / "parlons" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
# Small public files the batch jobs write and granian serves without Python (the live
# count of each petition); LIVE_FILES_URL may point at a CDN that mirrors LIVE_FILES_DIR.
LIVE_FILES_DIR = VAR_DIR / "live"
LIVE_FILES_URL = ENV.live_files_url
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if ENV.production
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Embedded mode serves static files straight from the apps (no collectstatic needed).
WHITENOISE_USE_FINDERS = not ENV.production
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

if ENV.redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": ENV.redis_url,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_SUBJECT_PREFIX = "[Parlons] "
DEFAULT_FROM_EMAIL = ENV.default_from_email
SERVER_EMAIL = ENV.default_from_email
MAILERS = environment.mailers(
    email_url=ENV.email_url, anymail_provider=ENV.anymail_provider, var_dir=VAR_DIR
)
ANYMAIL = ENV.anymail

# Security baseline.  A strict CSP: no inline scripts or styles, nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF, *environment.origin_of(ENV.live_files_url)],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # embeddable widgets opt out view by view
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# The client's address behind reverse proxies, by allauth's rule (its rate limits and the
# petitions' per-connection limit): how many proxies in front append to X-Forwarded-For,
# or the one header a trusted proxy sets.  None trusted by default: the peer's address.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("PARLONS_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("PARLONS_TRUSTED_CLIENT_IP_HEADER") or None
if ENV.production:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

PARLONS = {
    # A map tile URL template; empty means no third-party request: maps show a list.
    "MAP_TILE_URL": "",
    # Guests' e-mail addresses are erased this many months after their process ends.
    "GUEST_RETENTION_MONTHS": ENV.guest_retention_months,
}
