"""The three hot URLs of a spike, answered for guests below Django's middleware stack.

Registered as lean routes (see :mod:`parlons.config.lean`): a guest's sign POST, the
confirmation link and the count.  Each handler calls the same services as the views
(``do_sign_petition``, ``do_confirm_signature``) and serves the same kept pages and
count bytes (:mod:`.memo`); it answers only the successful case.  Everything else goes
to the full path, which says what is wrong with its usual translated message: a session
cookie (account holders, whose CSRF token the full path checks), a closed petition, a
refused or invalid form, a rate limit, a bad link, an embedded widget, an unknown address.

Cost of a signature here: one ``INSERT ... ON CONFLICT DO NOTHING`` and, when a rate
limit is set, one pipelined round trip to Redis; the organisation, the petition, the
guest decision and the thank-you page come from a few seconds of process memory.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.handlers.wsgi import WSGIRequest
from django.http import Http404
from django.http.request import HttpHeaders
from django.urls import resolve
from django.utils import translation

from parlons.config.lean import LeanResponse, read_body
from parlons.core import tenancy
from parlons.modules.petitions import memo, selectors, views
from parlons.modules.petitions.signing import (
    SignerInput,
    do_confirm_signature,
    do_sign_petition,
)

SLUG = r"[-a-zA-Z0-9_]+"
PREFIX = (
    rf"^/(?P<language>[a-z]{{2}}(?:-[a-z]+)?)/(?P<organisation>{SLUG})/(?P<process>{SLUG})"
    rf"/petitions/(?P<instance>{SLUG})/(?P<pk>[0-9]+)/"
)
SIGN = PREFIX + r"sign/$"
CONFIRM = PREFIX + r"confirm/(?P<token>[^/]+)/$"
COUNT = PREFIX + r"count\.json$"
# what SignForm accepts (longer: the full path answers that the form is invalid)
FIELDS = {"name": 1000, "email": 2000, "postcode": 120, "comment": 20000, "website": 200}
HTML = "text/html; charset=utf-8"
GUEST = AnonymousUser()


def register(routes: Any) -> None:
    """Add the petitions' lean routes (called from the app's ``ready()``)."""
    routes.add(key="petitions.sign", pattern=SIGN, handler=sign)
    routes.add(key="petitions.confirm", pattern=CONFIRM, handler=confirm)
    routes.add(key="petitions.count", pattern=COUNT, handler=count)


def _guest(environ: dict) -> bool:
    """No session: the request of a guest (anything else goes the full way)."""
    return f"{settings.SESSION_COOKIE_NAME}=" not in environ.get("HTTP_COOKIE", "")


def _organisation(slug: str):
    from parlons.core.organisations.models import Organisation

    return memo.guest_organisations.get(
        slug, lambda: Organisation.objects.filter(slug=slug).first()
    )


def _petition(match: re.Match):
    """(organisation, petition) at this address for a guest, or None (the full path 404s)."""
    if match["language"] not in dict(settings.LANGUAGES):
        return None
    organisation = _organisation(match["organisation"])
    if organisation is None:
        return None
    with tenancy.scope(organisation=organisation):
        try:
            petition = selectors.access_petition(
                person=GUEST,
                process_slug=match["process"],
                instance_slug=match["instance"],
                pk=int(match["pk"]),
            )
        except Http404:
            return None
    return organisation, petition


def _request(environ: dict, organisation) -> WSGIRequest:
    """A request as the middleware would hand it to a view, to render a kept page."""
    request = WSGIRequest(environ)
    request.user = GUEST
    request.organisation = organisation
    request.LANGUAGE_CODE = translation.get_language()
    request.resolver_match = resolve(request.path_info)
    return request


def _page(body: bytes, language: str) -> LeanResponse:
    return LeanResponse(
        200,
        body,
        [("Content-Type", HTML), ("Content-Language", language), ("Vary", "Cookie")],
    )


def _fields(text: str, most: int | None) -> dict[str, str]:
    """``dict(parse_qsl(text, keep_blank_values=True, max_num_fields=most))`` (the last
    value wins, as in a QueryDict), decoding only the parts that need it."""
    parts = text.split("&")
    if most is not None and len(parts) > most:
        raise ValueError("too many fields")
    data = {}
    for part in parts:
        if not part:
            continue
        name, _eq, value = part.partition("=")
        if "%" in name or "+" in name:
            name = unquote_plus(name)
        if "%" in value or "+" in value:
            value = unquote_plus(value)
        data[name] = value
    return data


def _form(body: bytes) -> dict[str, str] | None:
    """The sign form's fields as SignForm reads them; None when it would refuse them."""
    try:
        data = _fields(body.decode(), settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
    except (UnicodeDecodeError, ValueError):
        return None
    fields = {}
    for name, longest in FIELDS.items():
        value = data.get(name, "").strip()
        if len(value) > longest or "\x00" in value:
            return None
        fields[name] = value
    consent = data.get("consent", "")
    fields["consent"] = bool(consent) and consent.lower() not in ("false", "0")
    return fields


class _Request:
    """What the accounts' client-address rule reads of a request."""

    def __init__(self, environ: dict) -> None:
        self.META = environ

    @cached_property
    def headers(self) -> HttpHeaders:
        return HttpHeaders(self.META)


_clean_ips: dict[str, str] = {}  # the peer's address as given → as cleaned ('' if not one)


def _client_ip(environ: dict) -> str | None:
    """The accounts' rule for the client address, as the full path applies it."""
    from allauth.core.internal.httpkit import clean_client_ip, get_client_ip

    # allauth's settings, read from Django's (allauth's own lookup costs more than the rest)
    if not getattr(settings, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER", None) and not getattr(
        settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0
    ):
        ip = environ.get("REMOTE_ADDR")  # no proxy trusted: the peer's address
        if not ip:
            return None
        cleaned = _clean_ips.get(ip)
        if cleaned is None:
            if len(_clean_ips) > 10_000:
                _clean_ips.clear()
            cleaned = _clean_ips[ip] = clean_client_ip(ip) or ""
        return cleaned or None
    return get_client_ip(_Request(environ))


def sign(environ: dict, match: re.Match) -> LeanResponse | None:
    """A guest signs: the same service and the same thank-you page as the full path."""
    if (
        environ.get("REQUEST_METHOD") != "POST"
        or environ.get("QUERY_STRING")  # the embedded widget answers in its own page
        or not _guest(environ)
        or not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded")
    ):
        return None
    body = read_body(environ, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    found = _petition(match)
    fields = _form(body) if body is not None else None
    if found is None or fields is None:
        return None
    organisation, petition = found
    language = match["language"]
    signer = SignerInput(
        name=fields["name"],
        email=fields["email"],
        postcode=fields["postcode"],
        consent=fields["consent"],
        comment=fields["comment"],
        language=language,
        ip=_client_ip(environ),
        honeypot=fields["website"],
    )
    with tenancy.scope(organisation=organisation), translation.override(language):
        try:
            do_sign_petition(petition=petition, person=GUEST, signer=signer)
        except ValidationError:
            return None  # the full path shows the form with the translated message
        path = environ.get("SCRIPT_NAME", "") + environ["PATH_INFO"]
        page = views.kept_thanks(
            "petitions/thanks.html", petition, path, lambda: _request(environ, organisation)
        )
    return _page(page, language)


def confirm(environ: dict, match: re.Match) -> LeanResponse | None:
    """A guest follows the e-mailed link: one UPDATE, and the kept 'confirmed' page."""
    if environ.get("REQUEST_METHOD") != "GET" or not _guest(environ):
        return None
    found = _petition(match)
    if found is None:
        return None
    organisation, petition = found
    language = match["language"]
    with tenancy.scope(organisation=organisation), translation.override(language):
        try:
            do_confirm_signature(petition=petition, token=match["token"])
        except ValidationError:
            return None  # the full path says why, with its 400 page
        page = views.kept_confirmed(petition, lambda: _request(environ, organisation))
    return _page(page, language)


def count(environ: dict, match: re.Match) -> LeanResponse | None:
    """The count's bytes and ETag kept a second per process: no SQL on most reads."""
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not _guest(environ):
        return None
    path = environ.get("SCRIPT_NAME", "") + environ["PATH_INFO"]

    def make() -> tuple[bytes, str]:
        organisation = _organisation(match["organisation"])
        if organisation is None or match["language"] not in dict(settings.LANGUAGES):
            raise Http404("No such petition")
        with tenancy.scope(organisation=organisation):
            return views.count_body(
                person=GUEST,
                process_slug=match["process"],
                instance_slug=match["instance"],
                pk=int(match["pk"]),
            )

    try:
        body, etag = memo.counts.get(path, make)
    except Http404:
        return None
    headers = [
        ("ETag", etag),
        ("Cache-Control", views.COUNT_CACHE),
        ("Vary", "Cookie"),
        ("Content-Language", match["language"]),
    ]
    if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
        return LeanResponse(304, b"", headers)
    return LeanResponse(200, body, [("Content-Type", "application/json"), *headers])
