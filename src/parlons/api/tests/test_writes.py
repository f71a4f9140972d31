"""Organisers' writes with a token: processes and phases, through the kernel services."""

from __future__ import annotations

import pytest

from parlons.core.audit.models import AuditEntry
from parlons.core.processes.models import Opening, Phase, Process

pytestmark = pytest.mark.django_db

PROCESSES = "/api/v1/organisations/lakeside/processes"
NEW = {"slug": "budget-2027", "title": {"fr": "Budget 2027", "en": "Budget 2027"}}
PHASE = {
    "title": {"fr": "Information"},
    "starts_at": "2027-01-01T09:00:00+01:00",
    "ends_at": "2027-02-01T09:00:00+01:00",
}


def post(client, url, body, headers=None):
    return client.post(url, body, content_type="application/json", headers=headers or {})


def patch(client, url, body, headers=None):
    return client.patch(url, body, content_type="application/json", headers=headers or {})


def error_of(response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def test_an_admin_creates_a_process(client, admin):
    response = post(client, PROCESSES, {**NEW, "visibility": "unlisted"}, admin.headers)
    assert response.status_code == 201
    assert response.json() == {
        "slug": "budget-2027",
        "organisation": "lakeside",
        "title": {"fr": "Budget 2027", "en": "Budget 2027"},
        "summary": {},
        "visibility": "unlisted",
        "languages": ["fr", "en"],
        "description": {},
        "phases": [],
        "instances": [],
    }
    process = Process.objects.get(slug="budget-2027")
    assert (process.organisation, process.published) == (admin.organisation, True)
    entry = AuditEntry.objects.get(code="processes.process.created")
    assert (entry.actor, entry.organisation, entry.target_id) == (
        admin.person,
        admin.organisation,
        str(process.pk),
    )


def test_an_admin_updates_only_the_fields_given(client, admin, make_process):
    make_process(admin.organisation, slug="budget", summary={"fr": "Résumé"})
    response = patch(
        client,
        f"{PROCESSES}/budget",
        {"title": {"fr": "Nouveau"}, "published": False, "languages": ["fr"]},
        admin.headers,
    )
    assert response.status_code == 200
    process = Process.objects.get(slug="budget")
    assert (process.title, process.summary, process.published, process.languages) == (
        {"fr": "Nouveau"},
        {"fr": "Résumé"},
        False,
        ["fr"],
    )
    assert AuditEntry.objects.filter(code="processes.process.updated").count() == 1


def test_an_admin_adds_a_phase_with_openings(client, admin, make_process, make_instance):
    process = make_process(admin.organisation, slug="budget")
    make_instance(process, slug="about")
    body = {**PHASE, "openings": [{"instance": "about", "capability": "show"}] * 2}
    response = post(client, f"{PROCESSES}/budget/phases", body, admin.headers)
    assert response.status_code == 201
    phase = Phase.objects.get(process=process)
    assert response.json() == {
        "id": phase.pk,
        "title": {"fr": "Information"},
        "starts_at": "2027-01-01T09:00:00+01:00",
        "ends_at": "2027-02-01T09:00:00+01:00",
        "openings": [{"instance": "about", "capability": "show"}],
    }
    assert phase.starts_at.isoformat() == "2027-01-01T08:00:00+00:00"
    assert list(Opening.objects.values_list("instance__slug", "capability")) == [("about", "show")]
    assert AuditEntry.objects.filter(code="processes.phase.created").count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW, "slug": "not a slug"}, "slug"),
        ({**NEW, "title": {}}, "title"),
        ({**NEW, "title": {"xx": "?"}}, "title"),
        ({**NEW, "title": {"fr": "a\x00b"}}, "title"),
        ({**NEW, "visibility": "secret"}, "visibility"),
        ({**NEW, "languages": []}, "languages"),
        ({**NEW, "languages": ["fr", "fr"]}, "languages"),
        ({"title": {"fr": "Sans adresse"}}, "slug"),
    ],
)
def test_invalid_processes_are_refused_with_422(client, admin, body, field):
    response = post(client, PROCESSES, body, admin.headers)
    assert error_of(response) == (422, "invalid")
    assert field in str(response.json()["error"]["details"])
    assert Process.objects.count() == 0


def test_an_address_taken_is_refused_with_422(client, admin, make_process):
    make_process(admin.organisation, slug="budget-2027")
    response = post(client, PROCESSES, NEW, admin.headers)
    assert error_of(response) == (422, "invalid")
    assert list(response.json()["error"]["details"]) == ["__all__"]
    assert Process.objects.count() == 1


def test_null_is_not_a_value_for_a_patch(client, admin, make_process):
    make_process(admin.organisation, slug="budget")
    response = patch(client, f"{PROCESSES}/budget", {"title": None}, admin.headers)
    assert error_of(response) == (422, "invalid")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_at": "2026-12-01T09:00:00+01:00"}, "__all__"),
        ({"starts_at": "2027-01-01T09:00:00"}, "starts_at"),
        ({"starts_at": "0001-01-01T00:00:00+05:00"}, "starts_at"),
        ({"openings": [{"instance": "nowhere", "capability": "show"}]}, "openings"),
        ({"openings": [{"instance": "about", "capability": "vote"}]}, "__all__"),
        ({"position": -1}, "position"),
    ],
)
def test_invalid_phases_are_refused_with_422(
    client, admin, make_process, make_instance, change, field
):
    process = make_process(admin.organisation, slug="budget")
    make_instance(process, slug="about")
    body = {**PHASE, **change}
    response = post(client, f"{PROCESSES}/budget/phases", body, admin.headers)
    assert error_of(response) == (422, "invalid")
    assert field in str(response.json()["error"]["details"])
    assert Phase.objects.count() == 0


def test_a_body_that_is_not_json_is_a_400(client, admin):
    response = client.post(PROCESSES, "{", content_type="application/json", headers=admin.headers)
    assert error_of(response) == (400, "bad_request")


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer parlons_wrong"}])
def test_writes_without_a_valid_token_are_401(client, admin, make_process, headers):
    make_process(admin.organisation, slug="budget")
    responses = [
        post(client, PROCESSES, NEW, headers),
        patch(client, f"{PROCESSES}/budget", {"published": False}, headers),
        post(client, f"{PROCESSES}/budget/phases", {}, headers),
    ]
    assert [error_of(r) for r in responses] == [(401, "unauthenticated")] * 3
    assert Process.objects.get().published is True


def test_a_session_is_not_a_token(client, admin):
    client.force_login(admin.person)
    assert error_of(post(client, PROCESSES, NEW)) == (401, "unauthenticated")


@pytest.mark.parametrize("role", [None, "moderator", "evaluator", "analyst"])
def test_anyone_but_an_admin_of_the_organisation_gets_404(
    client, admin, make_member, make_participant, make_organisation, make_process, role
):
    from parlons.api.services import do_create_token

    make_process(admin.organisation, slug="budget")
    person = make_participant()
    if role:
        make_member(admin.organisation, role=role, participant=person)
    make_member(make_organisation(), role="admin", participant=person)  # admin elsewhere
    _token, secret = do_create_token(participant=person, name="x")
    headers = {"Authorization": f"Bearer {secret}"}
    responses = [
        post(client, PROCESSES, NEW, headers),
        patch(client, f"{PROCESSES}/budget", {"published": False}, headers),
        post(client, f"{PROCESSES}/budget/phases", PHASE, headers),
    ]
    assert [error_of(r) for r in responses] == [(404, "not_found")] * 3
    assert [r.json() for r in responses[:1]] == [
        {"error": {"code": "not_found", "message": "Not found.", "details": None}}
    ]
    assert (Process.objects.count(), Phase.objects.count()) == (1, 0)
    assert Process.objects.get().published is True


def test_an_admin_reaches_no_missing_process(client, admin):
    response = patch(client, f"{PROCESSES}/nowhere", {"published": False}, admin.headers)
    assert error_of(response) == (404, "not_found")


def test_an_admin_edits_an_unpublished_private_process(client, admin, make_process):
    make_process(admin.organisation, slug="draft", visibility="private", published=False)
    response = patch(client, f"{PROCESSES}/draft", {"published": True}, admin.headers)
    assert (response.status_code, response.json()["visibility"]) == (200, "private")
