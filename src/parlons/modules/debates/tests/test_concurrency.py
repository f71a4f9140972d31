"""Parallel votes on PostgreSQL: one row per participant and object, whatever the race."""

from __future__ import annotations

import pytest

from parlons.testing.concurrency import in_parallel

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def scoped(fn):
    """``fn`` in a thread of its own, outside any organisation scope (as a task runs)."""

    def run(item):
        from parlons.core.tenancy import scopes_disabled

        with scopes_disabled():
            return fn(item)

    return run


def test_parallel_votes_of_one_person_leave_one_vote(
    make_debate, make_article, make_statement, make_participant
):
    from django.core.exceptions import ValidationError

    from parlons.modules.debates.models import ArticleVote, StatementVote, Voter
    from parlons.modules.debates.services.statements import do_vote_statement
    from parlons.modules.debates.services.text import do_vote_article

    text = make_debate()
    article = make_article(text)
    person = make_participant()
    results = in_parallel(
        scoped(lambda _n: do_vote_article(person=person, article=article, value=1)),
        range(8),
        threads=8,
    )
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, ValidationError) for r in results if isinstance(r, Exception))
    assert ArticleVote.objects.count() == 1

    debate = make_debate("map")
    statement = make_statement(debate)
    results = in_parallel(
        scoped(lambda _n: do_vote_statement(person=person, statement=statement, value=-1)),
        range(8),
        threads=8,
    )
    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert StatementVote.objects.count() == 1
    assert Voter.objects.filter(instance=debate.instance).count() == 1


def test_parallel_first_votes_of_many_people_get_distinct_numbers(
    make_debate, make_statement, make_participant
):
    from parlons.modules.debates.models import StatementVote, Voter
    from parlons.modules.debates.services.statements import do_vote_statement

    debate = make_debate("map")
    statement = make_statement(debate)
    people = [make_participant() for _n in range(12)]
    results = in_parallel(
        scoped(lambda person: do_vote_statement(person=person, statement=statement, value=1)),
        people,
        threads=12,
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert StatementVote.objects.count() == 12
    numbers = list(Voter.objects.values_list("number", flat=True))
    assert sorted(numbers) == list(range(12))
