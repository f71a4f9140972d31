"""The security baseline: CSP without inline code, CSRF, Argon2, rate limits, production."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from parlons.core.operations.demo import load_demo

pytestmark = pytest.mark.django_db

PUBLIC = [
    "/fr/",
    "/en/villeneuve/",
    "/de/villeneuve/participer/",
    "/en/villeneuve/participer/pages/charte/",
    "/en/accounts/login/",
    "/en/accounts/signup/",
    "/en/accounts/login/code/",
    "/en/accounts/password/reset/",
    "/en/guest/not-a-token/",
]
PARTICIPANT = [
    "/en/me/",
    "/en/me/demographics/",
    "/en/me/data/",
    "/en/me/delete/",
    "/en/villeneuve/verify/",
    "/en/accounts/email/",
    "/en/accounts/password/change/",
    "/en/accounts/2fa/",
    "/en/account/tokens/",
]
ORGANISER = [
    "/en/backoffice/villeneuve/",
    "/en/backoffice/villeneuve/processes/participer/",
    "/en/backoffice/villeneuve/members/",
    "/en/backoffice/villeneuve/branding/",
    "/en/backoffice/villeneuve/audit/",
    "/en/backoffice/villeneuve/verifications/",
    "/en/backoffice/villeneuve/privacy/",
]
INLINE = {
    # JSON data blocks (type="application/json") are never executed
    "inline script": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/json\")[^>]*>", re.I
    ),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


@pytest.fixture
def demo(db):
    return load_demo()


def clients(demo):
    from parlons.core.participants.models import Participant

    anonymous, participant, organiser = Client(), Client(), Client()
    participant.force_login(Participant.objects.get(email="habitant@villeneuve.demo"))
    organiser.force_login(Participant.objects.get(email="organisatrice@villeneuve.demo"))
    return [(anonymous, PUBLIC), (participant, PARTICIPANT), (organiser, ORGANISER)]


def test_every_page_carries_a_strict_csp_and_no_inline_code(demo):
    checked = 0
    for client, urls in clients(demo):
        for url in urls:
            response = client.get(url)
            expected = 404 if "/guest/" in url else 200
            assert response.status_code == expected, (url, response.status_code)
            policy = response["Content-Security-Policy"]
            directives = dict(
                (part.split(" ", 1) + [""])[:2] for part in policy.split("; ") if part
            )
            assert directives["default-src"] == "'self'", url
            assert re.fullmatch(r"'self'( 'nonce-[A-Za-z0-9+/=_-]+')?", directives["script-src"]), (
                url
            )
            assert directives["style-src"] == "'self'", url
            assert directives["frame-ancestors"] == "'none'", url
            assert "unsafe" not in policy, url
            html = response.content.decode()
            found = {name: rx.findall(html) for name, rx in INLINE.items() if rx.search(html)}
            assert found == {}, f"{url}: {found}"
            checked += 1
    assert checked == len(PUBLIC) + len(PARTICIPANT) + len(ORGANISER)


def test_the_inline_code_detector_finds_inline_code():
    html = (
        '<script>alert(1)</script><script src="/static/a.js"></script>'
        '<script type="application/json">{}</script><p style="color:red" onclick="x()">'
        '<a href="javascript:x()">x</a><style>p{}</style>'
    )
    found = {name: len(rx.findall(html)) for name, rx in INLINE.items()}
    assert found == {
        "inline script": 1,
        "style element": 1,
        "style attribute": 1,
        "event handler attribute": 1,
        "javascript: URL": 1,
    }


# --- CSRF ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/en/accounts/login/", {"login": "a@b.org", "password": "x"}),
        ("/en/accounts/signup/", {"email": "a@b.org", "password1": "x", "password2": "x"}),
        ("/en/accounts/login/code/", {"email": "a@b.org"}),
        ("/en/me/", {"display_name": "Mallory", "language": "en"}),
        ("/en/me/delete/", {"confirm": "on"}),
        ("/en/me/data/", {}),
        ("/en/villeneuve/verify/", {"method": "postcode", "postcode-postcode": "38100"}),
        ("/en/backoffice/villeneuve/members/", {"email": "a@b.org", "role": "admin"}),
    ],
)
def test_every_form_refuses_a_post_without_the_csrf_token(demo, url, data):
    from parlons.core.participants.models import Participant

    client = Client(enforce_csrf_checks=True)
    person = Participant.objects.get(email="organisatrice@villeneuve.demo")
    if url.startswith(("/en/me/", "/en/villeneuve/", "/en/backoffice/")):
        client.force_login(person)
    response = client.post(url, data)
    assert response.status_code == 403
    person.refresh_from_db()
    assert (person.display_name, person.erased_at) == ("Claire Martin", None)


def test_a_post_with_the_token_goes_through(demo):
    from parlons.core.participants.models import Participant

    client = Client(enforce_csrf_checks=True)
    client.force_login(Participant.objects.get(email="habitant@villeneuve.demo"))
    client.get("/en/me/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/en/me/", {"display_name": "Karim", "language": "en", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


# --- passwords and rate limits ---------------------------------------------------------


def test_passwords_are_hashed_with_argon2():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    from parlons.config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )
    encoded = Argon2PasswordHasher().encode("correct horse battery", "saltsaltsaltsalt")
    assert encoded.startswith("argon2$argon2id$")
    assert Argon2PasswordHasher().verify("correct horse battery", encoded)


@pytest.fixture
def ana(make_participant):
    person = make_participant("ana@example.org")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    return person


def test_failed_logins_are_limited_per_address(client, ana):
    for _attempt in range(5):
        response = client.post("/en/accounts/login/", {"login": ana.email, "password": "wrong"})
        assert "The email address and/or password you specified are not correct." in (
            response.content.decode()
        )
    blocked = client.post(
        "/en/accounts/login/", {"login": ana.email, "password": "correct horse battery"}
    )
    assert "Too many failed login attempts. Try again later." in blocked.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_code_requests_are_limited_per_address(
    client, ana, mailoutbox, django_capture_on_commit_callbacks
):
    for _attempt in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/en/accounts/login/code/", {"email": ana.email})
        assert response["Location"] == "/en/accounts/login/code/confirm/"
        client.cookies.clear()  # a new visitor each time: the limit is on the address
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/en/accounts/login/code/", {"email": ana.email})
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert len(mailoutbox) == 3


def test_sign_ups_are_limited_per_address_of_the_visitor(client):
    for n in range(20):
        response = client.post(
            "/en/accounts/signup/",
            {
                "email": f"p{n}@example.org",
                "password1": "a long passphrase 42",
                "password2": "a long passphrase 42",
            },
        )
        assert response.status_code == 302, n
        client.logout()
    response = client.post(
        "/en/accounts/signup/",
        {
            "email": "p20@example.org",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    )
    assert response.status_code == 429
    assert not EmailAddress.objects.filter(email="p20@example.org").exists()


# --- production settings ---------------------------------------------------------------

PRODUCTION = {
    "PARLONS_SETTINGS_PROFILE": "production",
    "SECRET_KEY": "production-test-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
    "ALLOWED_HOSTS": "parlons.example",
    "EMAIL_URL": "smtp://localhost:25",
    "SITE_URL": "https://parlons.example",
}


def run_with(environment: dict, code: str) -> subprocess.CompletedProcess:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    } | environment
    env["DJANGO_SETTINGS_MODULE"] = "parlons.config.settings"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_are_secure_and_check_deploy_is_clean(tmp_path):
    environment = PRODUCTION | {
        "PARLONS_VAR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3",
    }
    shown = run_with(
        environment,
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, "
        "s.DEBUG, s.PASSWORD_HASHERS[0].rsplit('.', 1)[1])",
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == [
        "True", "True", "True", "31536000", "True", "True", "False", "Argon2PasswordHasher"
    ]  # fmt: skip
    check = run_with(
        environment,
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['parlons', 'check', '--deploy', '--fail-level', 'WARNING'])",
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "System check identified no issues" in check.stdout


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": "short"}, "SECRET_KEY of at least 50 characters"),
        ({"EMAIL_URL": ""}, "production sends real e-mail"),
    ],
)
def test_production_refuses_to_start_half_configured(tmp_path, change, message):
    environment = PRODUCTION | {"PARLONS_VAR": str(tmp_path)} | change
    result = run_with(environment, "import django; django.setup()")
    assert result.returncode != 0
    assert message in result.stderr
