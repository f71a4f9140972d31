"""The public site: pages answer in three languages, with a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parlons.core.operations.demo import load_demo


@pytest.fixture
def demo(db):
    return load_demo()


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/fr/", "Participer à Villeneuve"),
        ("/en/", "Taking part in Villeneuve"),
        ("/de/", "Mitmachen in Villeneuve"),
        ("/fr/villeneuve/", "48 000 habitants"),
        ("/en/villeneuve/participer/", "The participation charter"),
        ("/de/villeneuve/participer/pages/charte/", "Unsere Zusagen"),
    ],
)
def test_demo_pages_answer_with_their_content(client, demo, url, text):
    response = client.get(url)
    assert response.status_code == 200
    assert text in response.text


def test_root_redirects_to_a_language(client, demo):
    response = client.get("/", headers={"accept-language": "de"})
    assert (response.status_code, response["Location"]) == (302, "/de/")


@pytest.mark.parametrize(
    ("url", "texts"),
    [
        ("/", ["Participer à Villeneuve", "Ville de Villeneuve-sur-Lac", 'lang="fr"']),
        ("/fr/", ["Participer à Villeneuve", "Ville de Villeneuve-sur-Lac", "Démarches"]),
        ("/en/", ["Taking part in Villeneuve", "Ville de Villeneuve-sur-Lac", "Processes"]),
        ("/de/", ["Mitmachen in Villeneuve", "Ville de Villeneuve-sur-Lac", "Verfahren"]),
        ("/fr/villeneuve/", ["Ville de Villeneuve-sur-Lac", "48 000 habitants"]),
        ("/en/villeneuve/participer/", ["Taking part in Villeneuve", "All year", "In progress"]),
    ],
)
def test_done_when_the_demo_answers_200_with_its_content(client, demo, url, texts):
    """Issue 2, done when 1: /, /fr/, /en/, /de/, an organisation and a process page."""
    response = client.get(url, follow=True)
    assert response.status_code == 200
    for text in texts:
        assert text in response.text, (url, text)


def test_markdown_is_rendered_safely(client, make_instance, make_phase):
    from parlons.modules.pages.models import Page

    instance = make_instance()
    make_phase(instance.process, openings=[(instance, "show")])
    Page.objects.create(
        instance=instance,
        body={"en": "**bold** <script>alert(1)</script> [x](javascript:alert(1))"},
    )
    process = instance.process
    response = client.get(f"/en/{process.organisation.slug}/{process.slug}/pages/{instance.slug}/")
    assert "<strong>bold</strong>" in response.text
    assert "<script>alert" not in response.text
    assert "javascript:" not in response.text


def test_the_live_phase_is_highlighted(client, make_process, make_phase):
    process = make_process()
    make_phase(process, when="after", title={"en": "Ideas"})
    make_phase(process, when="during", title={"en": "Vote"})
    make_phase(process, when="before", title={"en": "Results"})
    html = client.get(f"/en/{process.organisation.slug}/{process.slug}/").text
    assert html.count('aria-current="step"') == 1
    live = html.index('aria-current="step"')
    assert html.index(">Vote<") > live > html.index(">Ideas<")


def test_private_and_unpublished_processes_are_hidden(client, make_process):
    private = make_process(visibility="private")
    draft = make_process(organisation=private.organisation, published=False)
    org = private.organisation.slug
    assert client.get(f"/en/{org}/{private.slug}/").status_code == 404
    assert client.get(f"/en/{org}/{draft.slug}/").status_code == 404
    assert private.slug not in client.get(f"/en/{org}/").text


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def grow(make_process, make_phase, make_instance, organisation, n):
    for _ in range(n):
        process = make_process(organisation=organisation)
        instance = make_instance(process)
        make_phase(process, when="after", openings=[(instance, "show")])
        make_phase(process, openings=[(instance, "show")])


@pytest.mark.parametrize(("url", "queries"), [("/en/", 3), ("/en/{org}/", 3)])
def test_list_pages_run_a_constant_number_of_queries(
    client, make_organisation, make_process, make_phase, make_instance, url, queries
):
    organisation = make_organisation()
    url = url.format(org=organisation.slug)
    grow(make_process, make_phase, make_instance, organisation, 1)
    few = count_queries(client, url)
    grow(make_process, make_phase, make_instance, organisation, 12)
    assert (few, count_queries(client, url)) == (queries, queries)


def test_process_page_runs_a_constant_number_of_queries(
    client, make_process, make_phase, make_instance
):
    process = make_process()
    url = f"/en/{process.organisation.slug}/{process.slug}/"
    instance = make_instance(process)
    make_phase(process, openings=[(instance, "show")])
    few = count_queries(client, url)
    for when in ("before", "after", "during", "after", "before"):
        extra = make_instance(process)
        make_phase(process, when=when, openings=[(extra, "show"), (instance, "show")])
    assert (few, count_queries(client, url)) == (4, 4)
