"""Uploaded files are served inert: never as a page, never sniffed, never scripted."""

from __future__ import annotations

import pytest

SANDBOX = "default-src 'none'; sandbox; frame-ancestors 'self'"


@pytest.fixture
def media(settings):
    root = settings.MEDIA_ROOT
    (root / "uploads").mkdir(parents=True)
    files = {
        "photo.png": b"\x89PNG\r\n\x1a\n" + b"0" * 20,
        "photo.JPG": b"\xff\xd8\xff" + b"0" * 20,
        "minutes.pdf": b"%PDF-1.4\n%%EOF\n",
        "evil.html": b"<html><script>document.cookie</script></html>",
        "evil.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "evil.png.html": b"<script>alert(1)</script>",
        "list.csv": b"a,b\n1,2\n",
        "noextension": b"<script>alert(1)</script>",
    }
    for name, content in files.items():
        (root / "uploads" / name).write_bytes(content)
    (root.parent / "secret.txt").write_bytes(b"outside")
    return files


def get(client, name):
    return client.get(f"/media/uploads/{name}")


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("photo.png", "image/png"), ("photo.JPG", "image/jpeg"), ("minutes.pdf", "application/pdf")],
)
def test_images_and_pdf_are_shown_inline_and_inert(client, media, name, content_type):
    response = get(client, name)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'inline; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert b"".join(response.streaming_content) == media[name]


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("evil.html", "application/octet-stream"),
        ("evil.svg", "application/octet-stream"),
        ("evil.png.html", "application/octet-stream"),
        ("noextension", "application/octet-stream"),
        ("list.csv", "text/csv; charset=utf-8"),
    ],
)
def test_anything_else_is_a_download_never_a_page(client, media, name, content_type):
    response = get(client, name)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX


@pytest.mark.parametrize(
    "path",
    ["/media/../secret.txt", "/media/uploads/../../secret.txt", "/media/%2e%2e/secret.txt",
     "/media/uploads/missing.png", "/media//etc/passwd"],
)  # fmt: skip
def test_nothing_outside_the_media_folder_and_nothing_missing(client, media, path):
    assert client.get(path).status_code == 404


def test_only_reads(client, media):
    assert client.post("/media/uploads/photo.png").status_code == 405
    assert client.head("/media/uploads/photo.png").status_code == 200
