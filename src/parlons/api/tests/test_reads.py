"""Anonymous reads of public objects, paginated, in a constant number of queries."""

from __future__ import annotations

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db
as_json = DjangoJSONEncoder().default


def test_organisations_are_listed_with_limit_and_offset(client, make_organisation):
    for slug in ("c-org", "a-org", "b-org"):
        make_organisation(slug=slug)
    body = client.get("/api/v1/organisations?limit=2&offset=1").json()
    assert body["count"] == 3
    assert [o["slug"] for o in body["items"]] == ["b-org", "c-org"]


def test_only_listed_processes_are_listed(client, make_organisation, make_process):
    organisation = make_organisation(slug="lakeside")
    make_process(organisation, slug="open")
    make_process(organisation, slug="hidden", visibility="private")
    make_process(organisation, slug="draft", published=False)
    make_process(organisation, slug="by-link", visibility="unlisted")
    make_process(slug="elsewhere")
    body = client.get("/api/v1/organisations/lakeside/processes").json()
    assert (body["count"], [p["slug"] for p in body["items"]]) == (1, ["open"])
    assert body["items"][0]["organisation"] == "lakeside"


def test_a_process_reads_with_its_phases_and_instances(
    client, make_process, make_instance, make_phase
):
    process = make_process(slug="budget", title={"fr": "Budget", "en": "Budget"})
    page = make_instance(process, slug="about", required_verifications={"postcode": {}})
    phase = make_phase(process, openings=[(page, "show")])
    url = f"/api/v1/organisations/{process.organisation.slug}/processes/budget"
    body = client.get(url).json()
    assert body["phases"] == [
        {
            "id": phase.pk,
            "title": {"fr": "Phase", "en": "Phase"},
            "starts_at": as_json(phase.starts_at),
            "ends_at": as_json(phase.ends_at),
            "openings": [{"instance": "about", "capability": "show"}],
        }
    ]
    assert body["instances"] == [
        {
            "slug": "about",
            "module": "pages",
            "title": page.title,
            "required_verifications": ["postcode"],
        }
    ]


@pytest.mark.parametrize("slug", ["private", "draft"])
def test_hidden_processes_are_missing_for_anonymous_readers(client, make_process, slug):
    values = {"private": {"visibility": "private"}, "draft": {"published": False}}[slug]
    process = make_process(slug=slug, **values)
    response = client.get(f"/api/v1/organisations/{process.organisation.slug}/processes/{slug}")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "details": None}
    }


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organisations/nobody",
        "/api/v1/organisations/nobody/processes",
        "/api/v1/organisations/a%00b",
        "/api/v1/organisations/lakeside/processes/a%00b",
    ],
)
def test_missing_or_impossible_addresses_are_404(client, make_organisation, url):
    make_organisation(slug="lakeside")
    response = client.get(url)
    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "offset=-1", "offset=1000000001"])
def test_out_of_range_pages_are_refused(client, query):
    response = client.get(f"/api/v1/organisations?{query}")
    assert (response.status_code, response.json()["error"]["code"]) == (422, "invalid")


def count_queries(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.json()["items"])


def test_listing_processes_costs_the_same_for_1_or_20(client, make_organisation, make_process):
    organisation = make_organisation(slug="lakeside")
    make_process(organisation)
    one = count_queries(client, "/api/v1/organisations/lakeside/processes")
    for _ in range(19):
        make_process(organisation)
    twenty = count_queries(client, "/api/v1/organisations/lakeside/processes")
    assert (one, twenty) == ((3, 1), (3, 20))


def test_listing_organisations_costs_the_same_for_1_or_20(client, make_organisation):
    make_organisation()
    one = count_queries(client, "/api/v1/organisations")
    for _ in range(19):
        make_organisation()
    twenty = count_queries(client, "/api/v1/organisations")
    assert (one, twenty) == ((2, 1), (2, 20))


def test_a_process_reads_in_a_constant_number_of_queries(
    client, make_process, make_instance, make_phase
):
    process = make_process(slug="budget")
    url = f"/api/v1/organisations/{process.organisation.slug}/processes/budget"
    page = make_instance(process)
    make_phase(process, openings=[(page, "show")])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        instance = make_instance(process)
        make_phase(process, openings=[(instance, "show")])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert (len(few), len(many)) == (5, 5)
