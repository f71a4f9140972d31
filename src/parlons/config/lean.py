"""A lean front for a few hot URLs, answered before Django's middleware stack.

During a spike (a petition shared on television) almost every request is the same
guest asking one of three URLs: sign, confirm, count.  Django's full stack (sessions,
authentication, messages, allauth, locale, CSRF, the scope middleware's URL resolution)
costs several milliseconds of CPU on each, which is most of the cost of the request.

A module registers a *lean route*: a pattern on ``PATH_INFO`` and a handler that gets the
WSGI environ and the match, and returns a :class:`LeanResponse`, or None to let Django
answer.  Handlers answer only the common, successful case and hand everything else to
Django (a session cookie, an error to show, a refusal), so the messages, the CSRF checks
of account holders and every other rule stay those of the full path.

The front itself keeps what the middleware would have enforced for any answer:
the allowed hosts, the HTTPS redirect, and the security headers of the responses.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

logger = logging.getLogger("parlons.lean")


@dataclass
class LeanResponse:
    status: int
    body: bytes
    headers: list[tuple[str, str]] = field(default_factory=list)


Handler = Callable[[dict, re.Match], LeanResponse | None]


class LeanRoutes:
    """The lean routes by key; a key or a pattern given twice is refused loudly."""

    def __init__(self) -> None:
        self._routes: dict[str, tuple[re.Pattern, Handler]] = {}

    def add(self, *, key: str, pattern: str, handler: Handler) -> None:
        """Answer the paths matching ``pattern`` with ``handler`` (None: Django answers)."""
        if key in self._routes:
            raise ValueError(f"lean route {key!r} registered twice")
        if any(p.pattern == pattern for p, _h in self._routes.values()):
            raise ValueError(f"lean pattern {pattern!r} registered twice")
        self._routes[key] = (re.compile(pattern), handler)

    def match(self, path: str) -> tuple[Handler, re.Match] | None:
        for pattern, handler in self._routes.values():
            found = pattern.match(path)
            if found is not None:
                return handler, found
        return None

    def __len__(self) -> int:
        return len(self._routes)


routes = LeanRoutes()


def read_body(environ: dict, limit: int) -> bytes | None:
    """The request body (None when longer than ``limit`` or of unknown length).

    The body stays readable for Django: a handler that returns None after reading it
    lets the full path read the same bytes.
    """
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length > limit:
        return None
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    return body


def is_secure(environ: dict) -> bool:
    from django.conf import settings

    header = settings.SECURE_PROXY_SSL_HEADER
    if header:
        name, value = header
        forwarded = environ.get(name)
        if forwarded is not None:
            return forwarded.split(",", 1)[0].strip() == value
    return environ.get("wsgi.url_scheme") == "https"


_hosts: dict[str, bool] = {}
_hosts_for: list = [None, None]  # the ALLOWED_HOSTS and DEBUG that _hosts answered for


def host_allowed(environ: dict) -> bool:
    """Django's ``ALLOWED_HOSTS`` rule; the answers kept per Host header (a few dozen)."""
    from django.conf import settings
    from django.http.request import split_domain_port, validate_host

    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    hosts = settings.ALLOWED_HOSTS
    if _hosts_for[0] is not hosts or _hosts_for[1] != settings.DEBUG or len(_hosts) > 64:
        _hosts.clear()
        _hosts_for[:] = [hosts, settings.DEBUG]
    allowed = _hosts.get(host)
    if allowed is None:
        domain, _port = split_domain_port(host)
        if settings.DEBUG and not hosts:
            hosts = [".localhost", "127.0.0.1", "[::1]"]
        allowed = _hosts[host] = bool(domain) and validate_host(domain, hosts)
    return allowed


_headers: dict[bool, list[tuple[str, str]]] = {}


def security_headers(*, secure: bool) -> list[tuple[str, str]]:
    """The headers Django's security, clickjacking and CSP middleware add to a page."""
    found = _headers.get(secure)
    if found is not None:
        return found
    from django.conf import settings
    from django.utils.csp import build_policy

    headers = []
    if secure and settings.SECURE_HSTS_SECONDS:
        value = f"max-age={settings.SECURE_HSTS_SECONDS}"
        if settings.SECURE_HSTS_INCLUDE_SUBDOMAINS:
            value += "; includeSubDomains"
        if settings.SECURE_HSTS_PRELOAD:
            value += "; preload"
        headers.append(("Strict-Transport-Security", value))
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append(("X-Content-Type-Options", "nosniff"))
    if settings.SECURE_REFERRER_POLICY:
        headers.append(("Referrer-Policy", settings.SECURE_REFERRER_POLICY))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY))
    headers.append(("X-Frame-Options", settings.X_FRAME_OPTIONS))
    if settings.SECURE_CSP:
        headers.append(("Content-Security-Policy", build_policy(settings.SECURE_CSP)))
    if settings.SECURE_CSP_REPORT_ONLY:
        headers.append(
            ("Content-Security-Policy-Report-Only", build_policy(settings.SECURE_CSP_REPORT_ONLY))
        )
    _headers[secure] = headers
    return headers


def _close_old_connections() -> None:
    """What Django does at the end of each request, only when it has something to do.

    Django's own call would also re-arm ``CONN_HEALTH_CHECKS``, costing a ``SELECT 1``
    before the next request's query; here a connection is looked at only after an
    error or when ``CONN_MAX_AGE`` has passed.
    """
    from django.db import connections

    now = time.monotonic()
    for connection in connections.all(initialized_only=True):
        if connection.connection is None or connection.in_atomic_block:
            continue  # not open, or inside a test's transaction (Django's test client
            # disconnects its own end-of-request call for the same reason)
        if connection.errors_occurred or (
            connection.close_at is not None and now >= connection.close_at
        ):
            connection.close_if_unusable_or_obsolete()


class LeanFront:
    """WSGI application: the lean routes first, Django for everything else."""

    def __init__(self, django_app: Callable, lean: LeanRoutes = routes) -> None:
        self.django_app = django_app
        self.lean = lean

    def answer(self, environ: dict) -> LeanResponse | None:
        """The lean answer to this request, or None for Django."""
        if not len(self.lean):
            return None
        found = self.lean.match(environ.get("PATH_INFO", ""))
        if found is None or not host_allowed(environ):
            return None
        from django.conf import settings

        secure = is_secure(environ)
        if settings.SECURE_SSL_REDIRECT and not secure:
            return None  # Django redirects
        handler, match = found
        try:
            response = handler(environ, match)
        except Exception:  # the full path answers (and reports) what went wrong
            logger.exception("lean route failed; Django answers %s", environ.get("PATH_INFO"))
            response = None
        finally:
            _close_old_connections()
        if response is not None:
            response.headers.extend(security_headers(secure=secure))
        return response

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes] | Any:
        response = self.answer(environ)
        if response is None:
            return self.django_app(environ, start_response)
        status = HTTPStatus(response.status)
        headers = [*response.headers, ("Content-Length", str(len(response.body)))]
        start_response(f"{status.value} {status.phrase}", headers)
        return [response.body] if environ.get("REQUEST_METHOD") != "HEAD" else [b""]
