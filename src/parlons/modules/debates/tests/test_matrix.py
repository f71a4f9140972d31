"""Who may do what, when: phase × capability × kind, and the organisers' answer."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from parlons.core.permissions import Refused

pytestmark = pytest.mark.django_db


def _actions(make_article, make_statement, make_participant):
    from parlons.modules.debates.models import Question
    from parlons.modules.debates.services import questions, statements, text

    def article_vote(debate, person):
        text.do_vote_article(person=person, article=make_article(debate), value=1)

    def amend(debate, person):
        text.do_amend(person=person, article=make_article(debate), body="Autre chose.")

    def argue(debate, person):
        text.do_argue(person=person, obj=make_article(debate), side=1, body="Oui.")

    def position(debate, person):
        question = Question.objects.create(instance=debate.instance, title="Pour ?")
        question.instance = debate.instance
        questions.do_take_position(person=person, question=question, value=1)

    def statement_vote(debate, person):
        statement = make_statement(debate)
        statements.do_vote_statement(person=person, statement=statement, value=1)

    def propose(debate, person):
        text.do_propose_article(
            person=person,
            instance=debate.instance,
            title="Article nouveau",
            body="Le texte de l'article proposé par un participant.",
        )

    def submit(debate, person):
        statements.do_submit_statement(person=person, instance=debate.instance, body="Une idée.")

    return {
        "article_vote": ("text", "vote", article_vote),
        "amend": ("text", "amend", amend),
        "argue": ("text", "argue", argue),
        "position": ("question", "vote", position),
        "statement_vote": ("map", "vote", statement_vote),
        "submit": ("map", "submit", submit),
        "propose": ("text", "submit", propose),
    }


def _written():
    from parlons.contributions.models import Comment
    from parlons.modules.debates.models import (
        Amendment,
        Article,
        ArticleVote,
        Position,
        Statement,
        StatementVote,
    )

    return (
        sum(
            m.objects.filter(author__isnull=False).count()
            if m in (Amendment, Comment)
            else m.objects.count()
            for m in (ArticleVote, Amendment, Comment, Position, StatementVote)
        )
        + Statement.objects.filter(seeded=False).count()
        + Article.objects.filter(author__isnull=False).count()
    )


ACTIONS = ("article_vote", "amend", "argue", "position", "statement_vote", "submit", "propose")


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("when", "opened", "allowed"),
    [
        ("before", True, False),
        ("during", True, True),
        ("during", False, False),
        ("after", True, False),
    ],
)
def test_each_action_only_while_a_live_phase_opens_its_capability(
    action, when, opened, allowed, make_debate, make_article, make_statement, make_participant
):
    kind, capability, act = _actions(make_article, make_statement, make_participant)[action]
    opens = (capability,) if opened else ()
    debate = make_debate(kind, when=when, opens=opens, settings={"premoderate_statements": False})
    person = make_participant()
    if allowed:
        act(debate, person)
        assert _written() == 1
    else:
        with pytest.raises(Refused):
            act(debate, person)
        assert _written() == 0


def test_an_anonymous_visitor_is_refused(make_debate, make_article):
    from django.contrib.auth.models import AnonymousUser

    from parlons.modules.debates.models import ArticleVote
    from parlons.modules.debates.services.text import do_vote_article

    article = make_article(make_debate())
    with pytest.raises(Refused) as refused:
        do_vote_article(person=AnonymousUser(), article=article, value=1)
    assert refused.value.decision.reason == "login_required"
    assert ArticleVote.objects.count() == 0


def test_actions_of_another_kind_are_refused(make_debate, make_article, make_participant):
    from parlons.modules.debates.services.statements import do_submit_statement

    text = make_debate()
    with pytest.raises(Refused):
        do_submit_statement(person=make_participant(), instance=text.instance, body="Une idée.")


def test_the_organisers_answer_shows_on_the_article(
    client, make_debate, make_article, make_member, make_participant
):
    from django.urls import reverse
    from django.utils import translation

    from parlons.contributions.services import do_answer
    from parlons.modules.debates.hooks import instance_kwargs

    debate = make_debate()
    article = make_article(debate)
    evaluator = make_member(debate.organisation, role="evaluator")
    with pytest.raises(Refused):
        do_answer(person=make_participant(), obj=article, status="not_retained")
    with pytest.raises(ValidationError):
        do_answer(person=evaluator, obj=article, status="accepted")
    do_answer(
        person=evaluator,
        obj=article,
        status="partly",
        explanation={"en": "The second sentence joins the bill."},
    )
    with translation.override("en"):
        address = reverse(
            "debates:article", kwargs={**instance_kwargs(debate.instance), "pk": article.pk}
        )
    page = client.get(address).text
    assert "Partly taken into account" in page and "The second sentence joins the bill." in page


def test_the_list_of_articles_takes_a_constant_number_of_queries(
    client, make_debate, make_article, make_participant, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from parlons.modules.debates.hooks import instance_kwargs

    debate = make_debate()
    make_article(debate)
    client.force_login(make_participant())
    with translation.override("en"):
        address = reverse("debates:detail", kwargs=instance_kwargs(debate.instance))
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        client.get(address)
    for n in range(15):
        make_article(debate, title=f"Article {n + 2}")
    with django_assert_num_queries(len(few.captured_queries)):
        assert "Article 16" in client.get(address).text


def test_an_article_page_takes_a_constant_number_of_queries(
    client, make_debate, make_article, make_participant, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import translation

    from parlons.modules.debates.hooks import instance_kwargs
    from parlons.modules.debates.services.text import do_add_source, do_amend, do_argue

    debate = make_debate()
    article = make_article(debate)
    reader = make_participant()
    client.force_login(reader)
    with translation.override("en"):
        address = reverse(
            "debates:article", kwargs={**instance_kwargs(debate.instance), "pk": article.pk}
        )

    def add(n):
        person = make_participant()
        do_argue(person=person, obj=article, side=1 if n % 2 else -1, body=f"Argument {n}.")
        do_amend(person=person, article=article, body=f"Texte amendé {n}.")
        do_add_source(person=person, article=article, url=f"https://ex.org/{n}", title=f"S{n}")

    add(0)
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        client.get(address)
    for n in range(1, 8):
        add(n)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(address).text
    assert "Argument 7." in page and "S7" in page
