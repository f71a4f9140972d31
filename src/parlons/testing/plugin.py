"""Pytest plugin for Parlons (loaded from pyproject's addopts).

Factories are fixtures (``make_organisation``, ``make_process``...); every test runs with
organisation scopes disabled, as cross-organisation set-up code does, except where it
enters a scope itself.  Browser fixtures live in ``parlons.testing.browser``.
"""

from __future__ import annotations

import os

import pytest

from parlons.testing.factories import *  # noqa: F403  (fixtures)

pytest_plugins = ["parlons.testing.browser"]


def pytest_configure(config) -> None:
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop + ORM
    os.environ.setdefault("PARLONS_VAR", "/tmp/parlons-pytest")


def pytest_collection_modifyitems(config, items) -> None:
    """Tests marked ``postgres`` run on the PostgreSQL lane and skip, saying so, on SQLite."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in the PostgreSQL lane of ./test")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _parlons_test_settings(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _parlons_scopes_disabled():
    from parlons.core.tenancy import scopes_disabled

    with scopes_disabled():
        yield


@pytest.fixture(autouse=True)
def _parlons_site_language():
    """Each test starts in the site's language and leaves none behind: a request to
    ``/en/...`` activates English in the thread, and a later test run by the same worker
    would otherwise read its messages in whatever language the one before it left."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _parlons_clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield


def _redis_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_cache(settings):
    """The default cache on a real Redis (database 15, flushed), as in production.

    Skips, saying why, where no Redis answers at ``TEST_REDIS_URL``.
    """
    import redis

    url = _redis_url()
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"needs Redis at {url} (production's cache and rate limits)")
    client.flushdb()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    }
    from django.core.cache import cache

    yield cache
    client.flushdb()


class SmtpInbox:
    """An aiosmtpd handler keeping every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on a free port, and Django's SMTP backend pointed at it."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    yield inbox
    controller.stop()
