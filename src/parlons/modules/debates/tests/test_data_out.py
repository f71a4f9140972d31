"""Exports, the API router and personal data."""

from __future__ import annotations

import io
import zipfile

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_text(make_debate, make_article, make_participant):
    from parlons.contributions.services.counts import do_refresh_counts
    from parlons.modules.debates.services.text import (
        do_add_source,
        do_amend,
        do_argue,
        do_vote_article,
    )

    debate = make_debate()
    people = [make_participant() for _n in range(3)]
    articles = [make_article(debate, title=f"Article {n}") for n in range(3)]
    for n, person in enumerate(people):
        for article in articles:
            do_vote_article(person=person, article=article, value=(n % 3) - 1)
    do_amend(person=people[0], article=articles[0], body="Un texte nouveau et meilleur.")
    do_argue(person=people[1], obj=articles[0], side=1, body="Parce que.")
    do_add_source(person=people[2], article=articles[1], url="https://ex.org/", title="Étude")
    do_refresh_counts()
    return debate, people, articles


def test_exports_pseudonymise_votes(busy_text):
    from parlons.modules.debates import exports

    debate, people, _articles = busy_text
    out = io.BytesIO()
    exports.write_votes_csv(instance=debate.instance, stream=out)
    text = out.getvalue().decode("utf-8-sig")
    assert len(text.strip().splitlines()) == 1 + 9
    for person in people:
        assert person.email not in text
    pseudonyms = {line.split(",")[2] for line in text.strip().splitlines()[1:]}
    assert len(pseudonyms) == 3 and all(p.startswith("p-") for p in pseudonyms)
    out = io.BytesIO()
    exports.write_articles_csv(instance=debate.instance, stream=out)
    rows = out.getvalue().decode("utf-8-sig").strip().splitlines()
    assert rows[1].split(",")[5:8] == ["1", "1", "1"]


def test_polis_zip_holds_the_four_files(make_debate, make_statement, make_participant):
    from parlons.modules.debates import exports
    from parlons.modules.debates.services.statements import do_vote_statement

    debate = make_debate("map")
    statement = make_statement(debate)
    do_vote_statement(person=make_participant(), statement=statement, value=1)
    out = io.BytesIO()
    exports.write_polis_zip(instance=debate.instance, stream=out)
    names = zipfile.ZipFile(io.BytesIO(out.getvalue())).namelist()
    assert sorted(names) == ["comments.csv", "participants-votes.csv", "summary.csv", "votes.csv"]


def test_api_lists_in_a_constant_number_of_queries(
    client, busy_text, make_article, django_assert_max_num_queries
):
    debate, _people, _articles = busy_text
    base = (
        f"/api/v1/debates/{debate.organisation.slug}/{debate.process.slug}/{debate.instance.slug}"
    )
    with django_assert_max_num_queries(12) as small:
        articles = client.get(base + "/articles").json()
    assert [a["agree"] + a["disagree"] + a["mixed"] for a in articles] == [3, 3, 3]
    for n in range(10):
        make_article(debate, title=f"Plus {n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(base + "/articles").json()) == 13
    assert len(client.get(base + "/amendments").json()) == 1
    assert [a["alignment"] for a in client.get(base + "/arguments").json()] == [1]
    votes = client.get(base + "/votes").json()
    assert len(votes) == 9 and all(v["participant"].startswith("p-") for v in votes)
    assert client.get(base + "/map").json()["groups"] == []


def test_personal_data_export_and_erase(busy_text):
    from parlons.modules.debates import personal_data
    from parlons.modules.debates.models import Amendment, ArticleVote
    from parlons.modules.debates.selectors import article_tallies

    debate, people, articles = busy_text
    mine = personal_data.export(participant=people[0])
    assert len(mine["article_votes"]) == 3 and len(mine["amendments"]) == 1
    before = article_tallies(articles=articles)
    personal_data.erase(participant=people[0])
    assert not ArticleVote.objects.filter(participant=people[0]).exists()
    assert Amendment.objects.get().author is None
    assert article_tallies(articles=articles) == before
