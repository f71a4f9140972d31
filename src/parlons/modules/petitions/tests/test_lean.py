"""The lean routes of a spike: what they cost in queries, what they leave to the full path.

Requests go through the real WSGI front (``parlons.config.lean.LeanFront``) in front of
Django's real handler, as granian calls it.
"""

from __future__ import annotations

import io
import re
import sys
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

import pytest
from django.core import mail
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from parlons.config.lean import LeanFront, LeanRoutes, routes
from parlons.modules.petitions.models import Mail, Signature
from parlons.modules.petitions.tests.conftest import link_in, send_mails, sign_data, urls

pytestmark = pytest.mark.django_db

SECURITY = (
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Content-Security-Policy",
)


class Answer:
    def __init__(self, status: str, headers: list, body: bytes, lean: bool):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)
        self.body = body
        self.lean = lean

    @property
    def text(self) -> str:
        return self.body.decode()


def environ(method: str, path: str, body: bytes = b"", **extra) -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/x-www-form-urlencoded" if body else "",
        **extra,
    }


_handlers: list = []


def _django() -> WSGIHandler:
    if not _handlers:
        _handlers.append(WSGIHandler())
    return _handlers[0]


def call(method: str, path: str, data: dict | None = None, **extra) -> Answer:
    """One request through the front; ``lean`` says whether Django was left alone."""
    called = []
    django = _django()

    def full(env, start_response):
        called.append(True)
        return django(env, start_response)

    body = urlencode(data).encode() if data is not None else b""
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, headers

    # as Django's test client does: the test's connection (and transaction) stays open
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        chunks = LeanFront(full)(environ(method, path, body, **extra), start_response)
        content = b"".join(chunks)
        if hasattr(chunks, "close"):
            chunks.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return Answer(seen["status"], seen["headers"], content, lean=not called)


def sign(petition, n=1, **extra):
    return call("POST", urls(petition, "sign"), sign_data(n), **extra)


def test_the_petitions_routes_are_registered_once():
    assert len(routes) >= 3
    fresh = LeanRoutes()
    fresh.add(key="a", pattern="^/a$", handler=lambda e, m: None)
    with pytest.raises(ValueError):
        fresh.add(key="a", pattern="^/b$", handler=lambda e, m: None)
    with pytest.raises(ValueError):
        fresh.add(key="b", pattern="^/a$", handler=lambda e, m: None)


def test_a_warm_guest_signature_is_one_insert_and_the_full_paths_page(client, petition):
    from parlons.modules.petitions.memo import clear_all

    full = client.post(urls(petition, "sign"), sign_data(0))  # renders the kept page
    clear_all()
    first = sign(petition, 1)  # cold: reads the organisation, the petition, the phase
    with CaptureQueriesContext(connection) as queries:
        second = sign(petition, 2)
    assert first.lean and second.lean
    assert first.status_code == second.status_code == 200
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT"]
    assert "ON CONFLICT" in queries.captured_queries[0]["sql"]
    assert first.body == second.body == full.content  # the same thank-you page
    for name in SECURITY:
        assert second.headers[name] == full.headers[name], name
    stored = Signature.objects.get(email="signer2@example.org")
    assert stored.confirmed_at is None and stored.mail_due == Mail.CONFIRM
    assert stored.ip == "127.0.0.1" and stored.consent is True and stored.language == "en"
    assert stored.name == "Signataire 2" and stored.postcode == "75011"


def test_a_repeat_signer_gets_the_same_page_and_an_already_signed_email(petition):
    first = sign(petition, 1)
    send_mails()
    assert call("GET", urlsplit(link_in(mail.outbox[0])).path).lean
    with CaptureQueriesContext(connection) as queries:
        again = sign(petition, 1)
    assert again.lean and again.body == first.body
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["INSERT", "UPDATE"]
    assert Signature.objects.count() == 1
    assert send_mails() == 1
    assert "already" in mail.outbox[1].subject.lower()


def test_suspicious_signatures_are_marked_on_the_lean_path_too(petition):
    answer = call("POST", urls(petition, "sign"), sign_data(1, website="http://spam.example"))
    assert answer.lean and answer.status_code == 200
    assert Signature.objects.get().suspicious == "honeypot"


def _closed(make_petition):
    return make_petition(closed_at=timezone.now() - timedelta(minutes=1))


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("bad-email", "valid e-mail"),
        ("no-name", "Give your name"),
        ("closed", "This petition is closed"),
        ("rate", "Too many signatures came from your connection"),
    ],
)
def test_what_the_full_path_refuses_goes_to_the_full_path(make_petition, case, message):
    petition = (
        _closed(make_petition)
        if case == "closed"
        else make_petition(settings={"signatures_per_ip_per_hour": 1 if case == "rate" else 30})
    )
    if case == "rate":
        assert sign(petition, 1).lean
    data = sign_data(2)
    if case == "bad-email":
        data["email"] = "not-an-address"
    if case == "no-name":
        data["name"] = "  "
    before = Signature.objects.count()
    answer = call("POST", urls(petition, "sign"), data)
    assert not answer.lean
    assert answer.status_code == (429 if case == "rate" else 400)
    assert message in answer.text
    assert Signature.objects.count() == before  # nothing written


@pytest.mark.parametrize(
    "extra",
    [
        {"HTTP_COOKIE": "sessionid=abc"},  # an account holder: CSRF checked by the full path
        {"QUERY_STRING": "embed=1"},  # the widget's own thank-you page
        {"CONTENT_TYPE": "multipart/form-data; boundary=x"},
        {"HTTP_HOST": "evil.example"},  # not an allowed host: Django answers 400
    ],
)
def test_requests_that_are_not_a_plain_guest_form_go_to_the_full_path(petition, extra):
    answer = sign(petition, 1, **extra)
    assert not answer.lean


def test_an_unknown_address_gets_the_full_paths_404(petition):
    path = urls(petition, "sign").replace(f"/{petition.pk}/", f"/{petition.pk + 100}/")
    answer = call("POST", path, sign_data(1))
    assert not answer.lean and answer.status_code == 404
    assert Signature.objects.count() == 0


def test_a_warm_confirmation_is_one_update(petition):
    sign(petition, 1)
    sign(petition, 2)
    send_mails()
    first, second = (urlsplit(link_in(m)).path for m in mail.outbox)
    assert call("GET", first).lean
    with CaptureQueriesContext(connection) as queries:
        answer = call("GET", second)
    assert answer.lean and answer.status_code == 200
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["UPDATE"]
    assert Signature.objects.filter(confirmed_at__isnull=False).count() == 2
    reused = call("GET", second)
    assert not reused.lean and reused.status_code == 400
    assert "already confirmed" in reused.text
    forged = call("GET", re.sub(r"/confirm/[^/]+/", "/confirm/1:forged:sig/", second))
    assert not forged.lean and forged.status_code == 400
    assert "not valid" in forged.text


def test_a_confirmation_on_a_closed_petition_is_refused_by_the_full_path(petition):
    sign(petition, 1)
    send_mails()
    petition.closed_at = timezone.now()
    petition.save(update_fields=["closed_at"])
    from parlons.modules.petitions.memo import clear_all

    clear_all()
    answer = call("GET", urlsplit(link_in(mail.outbox[0])).path)
    assert not answer.lean and answer.status_code == 400
    assert "closed" in answer.text
    assert Signature.objects.get().confirmed_at is None


def test_warm_count_reads_make_no_query_and_answer_the_etag(client, petition):
    full = client.get(urls(petition, "count"))
    first = call("GET", urls(petition, "count"))
    with CaptureQueriesContext(connection) as queries:
        again = call("GET", urls(petition, "count"))
        cached = call("GET", urls(petition, "count"), HTTP_IF_NONE_MATCH=again.headers["ETag"])
    assert first.lean and again.lean and cached.lean
    assert queries.captured_queries == []
    assert again.body == full.content and again.headers["ETag"] == full["ETag"]
    assert again.headers["Cache-Control"] == full["Cache-Control"]
    assert cached.status_code == 304 and cached.body == b""


def test_the_signature_insert_names_every_column_that_needs_a_value():
    from parlons.modules.petitions.signing import SIGNED_COLUMNS

    left_out = [
        f.column
        for f in Signature._meta.concrete_fields
        if not f.primary_key and f.column not in SIGNED_COLUMNS
    ]
    assert left_out and all(Signature._meta.get_field(c.removesuffix("_id")).null for c in left_out)


def test_batched_emails_are_those_the_kernel_would_render(petition):
    from parlons.core.notifications.services import render_email
    from parlons.modules.petitions.mailing import TEMPLATES, _recipient

    call("POST", urls(petition, "sign"), sign_data(1, name="Anne & Marc <3>"))
    sign(petition, 2)
    assert send_mails() == 2
    for message in mail.outbox:
        signature = Signature.objects.get(email=message.to[0])
        recipient = _recipient(Mail.CONFIRM, signature)
        expected = render_email(
            to=recipient.email,
            template=TEMPLATES[Mail.CONFIRM],
            context=recipient.context,
            language=recipient.language,
        )
        assert message.subject == expected["subject"]
        token = re.compile(r"/confirm/[^/]+/")
        assert token.sub("/confirm/T/", message.body) == token.sub("/confirm/T/", expected["body"])
        assert message.extra_headers["Message-ID"]
    assert "Anne &amp; Marc &lt;3&gt;" in mail.outbox[0].body  # as the kernel escapes it
    assert Signature.objects.filter(mail_due=0).count() == 2


def test_rate_limits_on_redis_count_in_one_round_trip(redis_cache, make_petition):
    petition = make_petition(
        settings={"signatures_per_ip_per_hour": 2, "signatures_per_petition_per_minute": 3}
    )
    assert [sign(petition, n).status_code for n in range(2)] == [200, 200]
    refused = sign(petition, 3)
    assert refused.status_code == 429 and not refused.lean
    assert sign(petition, 4, REMOTE_ADDR="203.0.113.9").status_code == 429  # per petition
    assert Signature.objects.count() == 2


def test_an_expired_memo_is_made_again_by_one_thread_while_the_others_keep_the_old():
    import threading
    import time

    from parlons.modules.petitions.memo import Memo

    memo = Memo(ttl=0.01)
    assert memo.get("k", lambda: "old") == "old"
    time.sleep(0.02)
    started, release, calls = threading.Event(), threading.Event(), []

    def slow():
        calls.append(1)
        started.set()
        release.wait(5)
        return "new"

    maker = threading.Thread(target=lambda: memo.get("k", slow))
    maker.start()
    started.wait(5)
    others = [memo.get("k", slow) for _ in range(5)]  # while the first is making it
    release.set()
    maker.join(5)
    assert others == ["old"] * 5
    assert calls == [1]
    assert memo.get("k", slow) == "new"


@pytest.mark.parametrize(
    "text",
    [
        "name=Anne+Marie&email=a%40example.org&postcode=75011&consent=on",
        "name=Zo%C3%AB%20%26+Marc&email=&&comment=un+%2B+deux%3D3&name=last",
        "consent&website=&x=%ZZ&=empty&y=a=b",
        "",
    ],
)
def test_the_lean_form_reads_fields_as_the_standard_parser(text):
    from urllib.parse import parse_qsl

    from parlons.modules.petitions.lean import _fields

    assert _fields(text, 1000) == dict(parse_qsl(text, keep_blank_values=True))


def test_the_lean_form_refuses_too_many_fields_as_the_standard_parser():
    from urllib.parse import parse_qsl

    from parlons.modules.petitions.lean import _fields

    text = "&".join(f"f{n}=1" for n in range(11))
    with pytest.raises(ValueError):
        parse_qsl(text, max_num_fields=10)
    with pytest.raises(ValueError):
        _fields(text, 10)
    assert len(_fields(text, 11)) == 11
