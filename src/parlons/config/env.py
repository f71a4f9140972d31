"""The one place that reads the process environment.

Every setting that an operator may change comes from here; nothing else in Parlons
reads ``os.environ``.  Half-configured integrations fail loudly at start-up.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[3]


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Turn ``sqlite:///path`` or ``postgres://user:pw@host:port/name`` into a DATABASES entry."""
    parts = urlsplit(url)
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if path.startswith("//"):
            path = path[1:]
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path or ":memory:",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")) or "parlons",
            "USER": unquote(parts.username or "postgres"),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(options.pop("conn_max_age", 60)),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported")


def mailers(*, email_url: str, anymail_provider: str, var_dir: Path) -> dict:
    """Django's ``MAILERS``: SMTP from a URL, a django-anymail provider, or files in var/mail/."""
    if anymail_provider:
        if not re.fullmatch(r"[a-z_]+", anymail_provider):
            raise ImproperlyConfigured(f"ANYMAIL_PROVIDER {anymail_provider!r} is not a name")
        backend = f"anymail.backends.{anymail_provider}.EmailBackend"
        return {"default": {"BACKEND": backend, "OPTIONS": {}}}
    if email_url:
        mail = urlsplit(email_url)
        if mail.scheme not in {"smtp", "smtp+tls", "smtps"}:
            raise ImproperlyConfigured("EMAIL_URL must start with smtp://, smtp+tls:// or smtps://")
        options = {
            "host": mail.hostname or "localhost",
            "port": mail.port or 25,
            "username": unquote(mail.username or ""),
            "password": unquote(mail.password or ""),
            "use_tls": mail.scheme == "smtp+tls",
            "use_ssl": mail.scheme == "smtps",
            "timeout": 20,
        }
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": options,
            }
        }
    # Embedded mode: each e-mail is a file in var/mail/, shown to staff at /<lang>/mailbox/.
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(var_dir / "mail")},
        }
    }


def _live_files_url(url: str) -> str:
    """Where browsers read the live files: this site's ``/live/`` or a CDN's address."""
    parts = urlsplit(url)
    if not url.endswith("/") or not (url.startswith("/") or parts.scheme in {"http", "https"}):
        raise ImproperlyConfigured(
            f"PARLONS_LIVE_FILES_URL must be a path or an http(s) address ending in /, not {url!r}"
        )
    return url


def origin_of(url: str) -> list[str]:
    """``[scheme://host]`` of an absolute address (for the CSP); ``[]`` for a path."""
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.netloc else []


@dataclass(frozen=True)
class Environment:
    profile: str
    var_dir: Path
    debug: bool
    secret_key: str
    allowed_hosts: list[str]
    database_url: str
    redis_url: str
    email_url: str
    default_from_email: str
    site_url: str
    anymail_provider: str
    anymail: dict[str, str]
    guest_retention_months: int
    live_files_url: str = "/live/"

    @property
    def production(self) -> bool:
        return self.profile == "production"


def read() -> Environment:
    profile = os.environ.get("PARLONS_SETTINGS_PROFILE", "embedded")
    if profile not in {"embedded", "production"}:
        raise ImproperlyConfigured("PARLONS_SETTINGS_PROFILE must be 'embedded' or 'production'")
    var_dir = Path(os.environ.get("PARLONS_VAR", ROOT / "var")).resolve()
    production = profile == "production"
    secret_key = os.environ.get("SECRET_KEY", "")
    if production and len(secret_key) < 50:
        raise ImproperlyConfigured("production needs SECRET_KEY of at least 50 characters")
    if not secret_key:
        secret_key = "embedded-only-not-secret-" + "x" * 40
    if production and not (os.environ.get("EMAIL_URL") or os.environ.get("ANYMAIL_PROVIDER")):
        raise ImproperlyConfigured(
            "production sends real e-mail: set EMAIL_URL (smtp://user:password@host:587, "
            "smtp+tls://… or smtps://…) or ANYMAIL_PROVIDER (with its ANYMAIL_* settings)"
        )
    return Environment(
        profile=profile,
        var_dir=var_dir,
        debug=_bool("DEBUG", False),
        secret_key=secret_key,
        allowed_hosts=_list(
            "ALLOWED_HOSTS", "" if production else "127.0.0.1,localhost,testserver"
        ),
        database_url=os.environ.get("DATABASE_URL", f"sqlite:///{var_dir / 'parlons.sqlite3'}"),
        redis_url=os.environ.get("REDIS_URL", ""),
        email_url=os.environ.get("EMAIL_URL", ""),
        default_from_email=os.environ.get(
            "DEFAULT_FROM_EMAIL", "Parlons <no-reply@parlons.localhost>"
        ),
        site_url=os.environ.get("SITE_URL", "http://127.0.0.1:8000"),
        anymail_provider=os.environ.get("ANYMAIL_PROVIDER", ""),
        guest_retention_months=_int("GUEST_RETENTION_MONTHS", 6),
        live_files_url=_live_files_url(os.environ.get("PARLONS_LIVE_FILES_URL", "/live/")),
        anymail={
            name.removeprefix("ANYMAIL_"): value
            for name, value in os.environ.items()
            if name.startswith("ANYMAIL_") and name != "ANYMAIL_PROVIDER"
        },
    )
