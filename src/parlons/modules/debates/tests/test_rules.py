"""Bad input and refusals leave nothing changed; votes change and the map follows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from parlons.core.permissions import Refused

pytestmark = pytest.mark.django_db


def test_an_article_vote_is_one_per_participant_and_changeable(
    make_debate, make_article, make_participant
):
    from parlons.modules.debates.models import ArticleVote
    from parlons.modules.debates.selectors import article_tallies
    from parlons.modules.debates.services.text import do_vote_article

    debate = make_debate()
    article = make_article(debate)
    person = make_participant()
    do_vote_article(person=person, article=article, value=1)
    with pytest.raises(ValidationError, match="already voted"):
        do_vote_article(person=person, article=article, value="1")
    with pytest.raises(ValidationError, match="agree, disagree or mixed"):
        do_vote_article(person=person, article=article, value="7")
    assert list(ArticleVote.objects.values_list("value", flat=True)) == [1]
    do_vote_article(person=person, article=article, value=0)
    tally = article_tallies(articles=[article])[article.pk]
    assert (tally.agree, tally.disagree, tally.mixed) == (0, 0, 1)
    assert ArticleVote.objects.count() == 1


@pytest.mark.parametrize("when", ["before", "after"])
def test_no_amendment_outside_the_phase_that_opens_it(
    when, make_debate, make_article, make_participant
):
    from parlons.modules.debates.models import Amendment
    from parlons.modules.debates.services.text import do_amend

    debate = make_debate(when=when)
    article = make_article(debate)
    with pytest.raises(Refused) as refused:
        do_amend(person=make_participant(), article=article, body="Un tout autre texte.")
    assert str(refused.value.decision.message)
    assert Amendment.objects.count() == 0


def test_amendment_only_while_amend_is_open_and_must_change_the_text(
    make_debate, make_article, make_participant
):
    from parlons.modules.debates.models import Amendment
    from parlons.modules.debates.services.text import do_amend

    closed = make_debate(opens=("vote", "argue"))
    with pytest.raises(Refused):
        do_amend(person=make_participant(), article=make_article(closed), body="Autre texte.")
    debate = make_debate()
    article = make_article(debate)
    with pytest.raises(ValidationError, match="same as the article"):
        do_amend(person=make_participant(), article=article, body=article.body)
    assert Amendment.objects.count() == 0
    made = do_amend(person=make_participant(), article=article, body="Les données sont ouvertes.")
    assert made.article == article


def test_statement_over_the_length_limit_is_refused(make_debate, make_participant):
    from parlons.modules.debates.models import Statement
    from parlons.modules.debates.services.statements import do_submit_statement

    debate = make_debate("map", settings={"statement_max_length": 40})
    person = make_participant()
    with pytest.raises(ValidationError, match="40 characters at most") as error:
        do_submit_statement(person=person, instance=debate.instance, body="x" * 41)
    assert "41" in str(error.value)
    assert Statement.objects.count() == 0
    made = do_submit_statement(person=person, instance=debate.instance, body="y" * 40)
    assert made.status == "pending"


def test_votes_on_hidden_rejected_or_waiting_statements_are_refused(
    make_debate, make_statement, make_participant
):
    from django.utils import timezone

    from parlons.modules.debates.models import StatementVote
    from parlons.modules.debates.services.statements import do_vote_statement

    debate = make_debate("map")
    person = make_participant()
    hidden = make_statement(debate, hidden_at=timezone.now())
    rejected = make_statement(debate, body="Une autre affirmation.", status="rejected")
    waiting = make_statement(debate, body="Une troisième affirmation.", status="pending")
    for statement in (hidden, rejected, waiting):
        with pytest.raises(Refused):
            do_vote_statement(person=person, statement=statement, value=1)
    assert StatementVote.objects.count() == 0


def test_duplicate_statement_vote_refused_and_changed_vote_replaces_it(
    make_debate, make_statement, make_participant
):
    from parlons.modules.debates.models import StatementVote, StatementVoteHistory
    from parlons.modules.debates.services.statements import do_vote_statement

    debate = make_debate("map")
    statement = make_statement(debate)
    person = make_participant()
    do_vote_statement(person=person, statement=statement, value=1)
    with pytest.raises(ValidationError, match="already voted"):
        do_vote_statement(person=person, statement=statement, value=1)
    assert StatementVoteHistory.objects.count() == 0
    do_vote_statement(person=person, statement=statement, value=-1)
    assert list(StatementVote.objects.values_list("value", flat=True)) == [-1]
    assert list(StatementVoteHistory.objects.values_list("value", flat=True)) == [1]


def _camps(debate, make_statement, make_participant, *, people=24, statements=10):
    from parlons.modules.debates.services.statements import do_vote_statement

    made = [make_statement(debate, body=f"Affirmation numéro {i}.") for i in range(statements)]
    voters = []
    for n in range(people):
        person = make_participant()
        side = 1 if n % 2 else -1
        for i, statement in enumerate(made):
            value = side if i < statements // 2 else (1 if i % 3 else -side)
            do_vote_statement(person=person, statement=statement, value=value)
        voters.append(person)
    return made, voters


def test_the_map_reflects_only_the_latest_vote(make_debate, make_statement, make_participant):
    from parlons.modules.debates.models import Voter
    from parlons.modules.debates.services.maps import do_refresh_map
    from parlons.modules.debates.services.statements import do_vote_statement

    debate = make_debate("map")
    made, voters = _camps(debate, make_statement, make_participant)
    first = do_refresh_map(instance=debate.instance).result
    assert len(first["groups"]) == 2
    turncoat = voters[0]  # side -1: moves every vote of the divided half to the other camp
    number = str(Voter.objects.get(participant=turncoat).number)
    before = first["participants"][number]["group"]
    partner = str(Voter.objects.get(participant=voters[1]).number)
    assert first["participants"][partner]["group"] != before
    for statement in made[:5]:
        do_vote_statement(person=turncoat, statement=statement, value=1)
    after = do_refresh_map(instance=debate.instance).result
    assert after["participants"][number]["group"] == after["participants"][partner]["group"]
    fresh = do_refresh_map(instance=debate.instance, full=True).result
    assert fresh["participants"][number]["group"] == fresh["participants"][partner]["group"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Vous avez déjà voté ainsi"), ("de", "Sie haben über diesen Artikel bereits")],
)
def test_messages_follow_the_language(
    language, expected, make_debate, make_article, make_participant
):
    from django.utils import translation

    from parlons.modules.debates.services.text import do_vote_article

    article = make_article(make_debate())
    person = make_participant()
    do_vote_article(person=person, article=article, value=1)
    with translation.override(language), pytest.raises(ValidationError, match=expected):
        do_vote_article(person=person, article=article, value=1)


def test_a_map_is_computed_once_for_many_votes_and_not_again_without_new_ones(
    make_debate, make_statement, make_participant
):
    import pickle

    from parlons.modules.debates.models import MapState
    from parlons.modules.debates.services.statements import do_vote_statement
    from parlons.modules.debates.tasks import refresh_maps

    debate = make_debate("map")
    made = [make_statement(debate, body=f"Affirmation {n}.") for n in range(4)]
    people = [make_participant() for _n in range(3)]
    for person in people:
        for statement in made:
            do_vote_statement(person=person, statement=statement, value=1)
    assert refresh_maps.call() == 1
    assert refresh_maps.call() == 0
    for statement in made:
        do_vote_statement(person=people[0], statement=statement, value=-1)
    assert refresh_maps.call() == 1
    row = MapState.objects.get(instance=debate.instance)
    state = pickle.loads(bytes(row.state))
    assert state.matrix.n_votes == 12
    assert sorted(row.result["participants"]) == ["0", "1", "2"]
