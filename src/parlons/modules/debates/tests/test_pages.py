"""The public pages through the test client: each kind of debate, its forms, the map."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from parlons.modules.debates.hooks import instance_kwargs

pytestmark = pytest.mark.django_db


def url(debate, name, **kwargs):
    """The English address (pages in English, so that the test reads their words)."""
    with translation.override("en"):
        return reverse(f"debates:{name}", kwargs={**instance_kwargs(debate.instance), **kwargs})


def test_text_pages_vote_amend_argue_and_source(client, make_debate, make_participant):
    from parlons.contributions.models import Comment
    from parlons.modules.debates.importing import do_import_text
    from parlons.modules.debates.models import Amendment, ArticleVote, Source

    debate = make_debate()
    first, second = do_import_text(
        actor=None,
        instance=debate.instance,
        text="# Titre I\n\n## Article 1\n\nLe vélo est prioritaire.\n\n## Article 2\n\nLes bus passent.",
    )
    page = client.get(url(debate, "detail"))
    assert page.status_code == 200 and "Titre I" in page.text and "Article 2" in page.text
    assert "Log in" in client.get(url(debate, "article", pk=first.pk)).text
    client.force_login(make_participant())
    client.post(url(debate, "vote_article", pk=first.pk), {"value": "-1"})
    assert list(ArticleVote.objects.values_list("value", flat=True)) == [-1]
    response = client.post(
        url(debate, "amend", pk=first.pk),
        {"body": "Le vélo et la marche sont prioritaires.", "explanation": "La marche compte."},
    )
    amendment = Amendment.objects.get()
    assert response.url == url(debate, "amendment", pk=amendment.pk)
    page = client.get(response.url).text
    assert "<del>" in page and "<ins>" in page and "marche" in page
    client.post(url(debate, "argue", target="article", pk=first.pk), {"side": "1", "body": "Oui."})
    client.post(url(debate, "argue", target="article", pk=first.pk), {"side": "-1", "body": "Non."})
    client.post(url(debate, "argue", target="article", pk=first.pk), {"side": "2", "body": "?"})
    assert sorted(Comment.objects.values_list("alignment", flat=True)) == [-1, 1]
    client.post(
        url(debate, "add_source", pk=first.pk), {"url": "javascript:alert(1)", "title": "Non"}
    )
    client.post(
        url(debate, "add_source", pk=first.pk), {"url": "https://example.org/a", "title": "Étude"}
    )
    assert list(Source.objects.values_list("title", flat=True)) == ["Étude"]
    page = client.get(url(debate, "article", pk=first.pk)).text
    assert "Oui." in page and "Non." in page and "Étude" in page
    debated = client.get(url(debate, "detail") + "?order=debated").text
    assert debated.index("Article 1") < debated.index("Article 2")


def test_participants_propose_new_articles(client, make_debate, make_participant):
    from parlons.modules.debates.models import Article

    client.force_login(make_participant())
    closed = make_debate(opens=("vote",))
    assert "Propose a new article" not in client.get(url(closed, "detail")).text
    debate = make_debate(opens=("submit", "vote"))
    assert "Propose a new article" in client.get(url(debate, "detail")).text
    client.post(url(debate, "propose_article"), {"title": "Nouveau", "body": "Trop court"})
    assert Article.objects.count() == 0
    response = client.post(
        url(debate, "propose_article"),
        {"title": "Un article nouveau", "body": "Les bibliothèques prêtent des ordinateurs."},
    )
    article = Article.objects.get()
    assert (article.type, response.url) == ("proposal", url(debate, "article", pk=article.pk))
    assert "Proposal of a participant" in client.get(response.url).text


def test_question_page_positions_and_balance(client, make_debate, make_participant):
    from parlons.modules.debates.models import Position, PositionChange
    from parlons.modules.debates.selectors import balance_over_time
    from parlons.modules.debates.services.questions import do_save_question

    debate = make_debate("question")
    question = do_save_question(actor=None, instance=debate.instance, title="Un centre piéton ?")
    client.force_login(make_participant())
    client.post(url(debate, "position", pk=question.pk), {"value": "1"})
    client.post(url(debate, "position", pk=question.pk), {"value": "1"})
    client.post(url(debate, "position", pk=question.pk), {"value": "-1"})
    assert list(Position.objects.values_list("value", flat=True)) == [-1]
    assert PositionChange.objects.count() == 2
    [today] = balance_over_time(question=question)
    assert (today.favour, today.undecided, today.against) == (0, 0, 1)
    page = client.get(url(debate, "question", pk=question.pk)).text
    assert "0 for, 0 undecided, 1 against" in page
    assert "Un centre piéton ?" in client.get(url(debate, "detail")).text


def test_map_flow_one_statement_at_a_time_then_the_map(
    client, make_debate, make_statement, make_participant
):
    from parlons.modules.debates.models import Statement, StatementVote
    from parlons.modules.debates.services.statements import do_vote_statement
    from parlons.modules.debates.tasks import refresh_maps

    debate = make_debate("map")
    made = [make_statement(debate, body=f"Affirmation numéro {i}.") for i in range(6)]
    for n in range(20):
        other = make_participant()
        for i, statement in enumerate(made):
            value = (1 if n % 2 else -1) if i < 3 else 1
            do_vote_statement(person=other, statement=statement, value=value)
    person = make_participant()
    client.force_login(person)
    for statement in made:
        page = client.get(url(debate, "detail")).text
        assert statement.body in page
        client.post(url(debate, "vote_statement", pk=statement.pk), {"value": "1"})
    assert "You have voted on every statement" in client.get(url(debate, "detail")).text
    assert StatementVote.objects.filter(voter__participant=person).count() == 6
    client.post(url(debate, "submit_statement"), {"body": "Une nouvelle idée à trier."})
    assert Statement.objects.filter(status="pending").count() == 1
    refresh_maps.call()
    page = client.get(url(debate, "map")).text
    assert "You are close to group" in page
    assert "<svg" in page and "<table>" in page


def test_pages_of_another_kind_are_not_found(client, make_debate, make_article):
    text = make_debate()
    assert client.get(url(text, "map")).status_code == 404
    article = make_article(text)
    other = make_debate("map")
    assert client.get(url(other, "article", pk=article.pk)).status_code == 404
