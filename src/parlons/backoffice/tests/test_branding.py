"""Branding: colours and a logo, checked on upload and applied on the public site."""

from __future__ import annotations

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from parlons.core.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = "/en/backoffice/lyon/branding/"


def png(size=(120, 40), colour=(29, 78, 137)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def form(**changes):
    data = {
        "name": "Ville de Lyon",
        "primary_colour": "#7a1f3d",
        "accent_colour": "#0b6e4f",
        "languages": ["fr", "en"],
        "default_language": "fr",
    }
    return data | changes


def test_colours_and_logo_are_applied_on_the_public_site(admin_client, city):
    logo = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    response = admin_client.post(URL, form(logo=logo), follow=True)
    assert "The branding was saved." in response.content.decode()
    city.refresh_from_db()
    assert city.logo.name.startswith("organisations/logos/logo")
    assert AuditEntry.objects.filter(code="organisations.branding.updated").count() == 1

    page = admin_client.get("/en/lyon/").content.decode()
    assert f'<img src="/media/{city.logo.name}"' in page
    assert '<link rel="stylesheet" href="/en/lyon/theme.css">' in page
    theme = admin_client.get("/en/lyon/theme.css")
    assert theme["Content-Type"] == "text/css; charset=utf-8"
    assert "--brand:#7a1f3d" in theme.content.decode()
    assert "--accent:#0b6e4f" in theme.content.decode()
    served = admin_client.get(f"/media/{city.logo.name}")
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "Upload a valid image.",
        ),
        ("logo.html", b"<html><script>alert(1)</script></html>", "Upload a valid image."),
        ("logo.bmp", None, "File extension “bmp” is not allowed."),
        ("big.png", "noise", "This file is too large"),
    ],
)
def test_a_bad_logo_is_refused_and_nothing_changes(admin_client, city, name, content, message):
    if content == "noise":  # random pixels do not compress: a PNG over 2 MB
        buffer = io.BytesIO()
        Image.frombytes("RGB", (880, 880), os.urandom(880 * 880 * 3)).save(buffer, "PNG")
        content = buffer.getvalue()
    if content is None:
        buffer = io.BytesIO()
        Image.new("RGB", (10, 10)).save(buffer, "BMP")
        content = buffer.getvalue()
    upload = SimpleUploadedFile(name, content)
    response = admin_client.post(URL, form(logo=upload))
    assert response.status_code == 200
    assert message in response.content.decode()
    city.refresh_from_db()
    assert (city.logo.name, city.name) == ("", "Lyon")
    assert not AuditEntry.objects.filter(code="organisations.branding.updated").exists()


def test_a_colour_that_is_not_one_is_refused(admin_client, city):
    response = admin_client.post(URL, form(primary_colour="red"))
    assert "Enter a valid value." in response.content.decode()
    city.refresh_from_db()
    assert city.primary_colour == "#1d4e89"
