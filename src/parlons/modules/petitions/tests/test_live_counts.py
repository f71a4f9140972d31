"""The live count files: written by the batch count, the same bytes as ``count.json``,
served by granian (``parlons serve``) and, without it, by the fallback view."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from parlons.core.tenancy import scope
from parlons.modules.petitions import public_counts, views
from parlons.modules.petitions.models import Signature, Status
from parlons.modules.petitions.tests.conftest import count, urls

pytestmark = pytest.mark.django_db


def confirmed(petition, n: int) -> None:
    for i in range(n):
        Signature.objects.create(
            petition=petition,
            email=f"live{petition.pk}-{i}@example.org",
            name=f"S {i}",
            postcode="75011",
            confirmed_at=timezone.now(),
        )


def body_of_count_json(petition) -> bytes:
    process = petition.instance.process
    with scope(organisation=process.organisation):
        body, _etag = views.count_body(
            person=AnonymousUser(),
            process_slug=process.slug,
            instance_slug=petition.instance.slug,
            pk=petition.pk,
        )
    return body


def folder() -> Path:
    return public_counts.count_files_dir()


def test_the_batch_writes_the_count_json_bytes_and_updates_them(petition):
    confirmed(petition, 2)
    count()
    file = public_counts.count_file(petition.pk)
    assert file.read_bytes() == body_of_count_json(petition)
    written = json.loads(file.read_bytes())
    assert sorted(written) == ["count", "counted_at", "goal", "open", "petition"]
    assert (written["petition"], written["count"], written["goal"], written["open"]) == (
        petition.pk,
        2,
        100,
        True,
    )
    Signature.objects.create(
        petition=petition, email="late@example.org", postcode="1", confirmed_at=timezone.now()
    )
    count()
    assert json.loads(file.read_bytes())["count"] == 3
    assert file.read_bytes() == body_of_count_json(petition)
    assert oct(file.stat().st_mode & 0o777) == "0o644"  # the web server reads it


def test_the_batch_writes_one_file_per_public_petition_without_a_query_each(
    petition, make_petition, django_assert_num_queries
):
    other = make_petition(instance=petition.instance, title="Another")
    confirmed(other, 1)
    # petitions, areas, the grouped count, one UPDATE each; no read per file
    with django_assert_num_queries(5):
        count()
    assert public_counts.count_file_pks() == {petition.pk, other.pk}


def test_a_withdrawn_or_hidden_petition_loses_its_file(petition, make_petition):
    hidden = make_petition()
    count()
    assert public_counts.count_file_pks() == {petition.pk, hidden.pk}
    type(petition).objects.filter(pk=petition.pk).update(status=Status.REJECTED)
    process = hidden.instance.process
    type(process).objects.filter(pk=process.pk).update(visibility="private")
    count()
    assert public_counts.count_file_pks() == set()


def test_a_petition_closed_long_ago_keeps_its_final_count_file(petition):
    confirmed(petition, 1)
    count()
    final = public_counts.count_file(petition.pk).read_bytes()
    type(petition).objects.filter(pk=petition.pk).update(
        closed_at=timezone.now() - timezone.timedelta(days=2)
    )
    count()  # no longer recounted, still published: the file stays as it was
    assert public_counts.count_file(petition.pk).read_bytes() == final


def test_a_write_is_atomic_and_only_when_the_bytes_change(petition, monkeypatch):
    count()
    petition.refresh_from_db()
    file = public_counts.count_file(petition.pk)
    assert public_counts.write_count_file(petition) is False  # same bytes: untouched
    replaced = []
    real_replace = os.replace

    def spy(source, target):
        replaced.append((Path(source), Path(target)))
        # at this instant the old file is whole and the new one is complete beside it
        assert json.loads(file.read_bytes())["count"] == 0
        assert json.loads(Path(source).read_bytes())["count"] == 7
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    petition.signature_count = 7
    assert public_counts.write_count_file(petition) is True
    [(source, target)] = replaced
    assert source.parent == target.parent == folder() and source.name.endswith(".tmp")
    assert target == file
    assert json.loads(file.read_bytes())["count"] == 7
    assert list(folder().glob("*.tmp")) == [] and list(folder().glob(".*")) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(petition, monkeypatch):
    count()
    petition.refresh_from_db()
    before = public_counts.count_file(petition.pk).read_bytes()

    def broken(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    petition.signature_count = 9
    with pytest.raises(OSError):
        public_counts.write_count_file(petition)
    assert public_counts.count_file(petition.pk).read_bytes() == before
    assert sorted(p.name for p in folder().iterdir()) == [f"{petition.pk}.json"]


def test_the_public_url_and_the_fallback_view(client, petition, settings):
    assert public_counts.public_count_url(petition) == f"/live/petitions/{petition.pk}.json"
    settings.LIVE_FILES_URL = "https://cdn.example.org/parlons/"
    assert public_counts.public_count_url(petition) == (
        f"https://cdn.example.org/parlons/petitions/{petition.pk}.json"
    )
    live = f"/live/petitions/{petition.pk}.json"
    assert client.get(live).status_code == 404  # no count yet
    count()
    response = client.get(live)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "public, max-age=5, stale-while-revalidate=30"
    assert response.content == public_counts.count_file(petition.pk).read_bytes()
    again = client.get(live, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.post(live).status_code == 405


def test_the_petition_page_and_widget_name_the_live_url(client, petition):
    for name in ("petition", "widget"):
        page = client.get(urls(petition, name)).content.decode()
        assert f'data-live-count="/live/petitions/{petition.pk}.json"' in page
        assert 'data-live-every="10"' in page
        assert "petitions/count.js" in page
        assert 'aria-live="polite"' in page


def test_a_cdn_address_is_allowed_by_the_csp_and_a_bad_one_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from parlons.config import env

    assert env.origin_of("https://cdn.example.org/parlons/") == ["https://cdn.example.org"]
    assert env.origin_of("/live/") == []
    monkeypatch.setenv("PARLONS_LIVE_FILES_URL", "https://cdn.example.org/parlons/")
    assert env.read().live_files_url == "https://cdn.example.org/parlons/"
    for bad in ("cdn.example.org/live/", "/live", "ftp://cdn.example.org/"):
        monkeypatch.setenv("PARLONS_LIVE_FILES_URL", bad)
        with pytest.raises(ImproperlyConfigured):
            env.read()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.mark.slow
def test_granian_serves_the_count_file_without_django(petition, settings, tmp_path):
    """A real ``parlons serve``: granian answers /live/ from the folder the batch writes.

    Its PARLONS_VAR is this test's folder, so its LIVE_FILES_DIR is the one the test's
    settings point at; the request never reaches Django (no database is touched).
    """
    settings.LIVE_FILES_DIR = tmp_path / "live"
    confirmed(petition, 4)
    count()
    port = free_port()
    env = {
        **os.environ,
        "PARLONS_VAR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "parlons", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/live/petitions/{petition.pk}.json"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, headers, body = get(url)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert status == 200
        assert body == public_counts.count_file(petition.pk).read_bytes()
        assert json.loads(body)["count"] == 4
        headers = {k.lower(): v for k, v in headers.items()}
        assert headers["server"] == "granian"  # not Django's answer
        assert headers["cache-control"] == "max-age=5"
        assert headers["content-type"] == "application/json"
        assert get(f"http://127.0.0.1:{port}/live/petitions/999999.json")[0] == 404
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
