"""Real data in and out: the République numérique consultation, Polis conversations."""

from __future__ import annotations

import json

import pytest

from parlons.core.permissions import Refused
from parlons.testing.data import shared_data

pytestmark = pytest.mark.django_db

REPUBLIQUE = ("consultations", "fr_republique_numerique_2015")


def source_counts(directory) -> dict[str, int]:
    """What the source files say, read independently of the importer."""
    counts = dict.fromkeys(("opinions", "arguments", "for", "against", "sources", "votes"), 0)
    counts["argument_votes"] = 0
    for path in sorted((directory / "opinions").glob("*.json")):
        opinion = json.loads(path.read_text(encoding="utf-8"))["opinion"]
        counts["opinions"] += 1
        counts["arguments"] += opinion["arguments_count"]
        counts["for"] += opinion["arguments_yes_count"]
        counts["against"] += opinion["arguments_no_count"]
        counts["sources"] += len(opinion["sources"])
        counts["votes"] += opinion["votes_ok"] + opinion["votes_nok"] + opinion["votes_mitige"]
        counts["argument_votes"] += sum(a["votes_count"] for a in opinion["arguments"])
    return counts


def test_republique_numerique_import_reproduces_the_source_counts(
    make_organisation, make_participant, client
):
    from django.core.management import call_command
    from django.db.models import Sum

    from parlons.contributions.models import Comment
    from parlons.modules.debates.models import Article, Section, Source
    from parlons.modules.debates.selectors import article_tallies

    directory = shared_data(*REPUBLIQUE)
    expected = source_counts(directory)
    assert expected["opinions"] == 696 and expected["arguments"] == 3994
    assert expected["votes"] == 88622
    organisation = make_organisation(slug="etat")
    call_command("debates_import_republique", "etat", str(directory))

    articles = Article.objects.filter(instance__process__organisation=organisation)
    assert articles.count() == expected["opinions"]
    assert articles.filter(type="article").count() == 30
    assert Section.objects.filter(instance__process__organisation=organisation).count() == 18
    arguments = Comment.objects.filter(target_type="debates.article", target_id__in=articles)
    assert arguments.count() == expected["arguments"]
    assert arguments.filter(alignment=1).count() == expected["for"]
    assert arguments.filter(alignment=-1).count() == expected["against"]
    assert arguments.aggregate(n=Sum("support_count"))["n"] == expected["argument_votes"]
    assert Source.objects.filter(article__in=articles).count() == expected["sources"]
    tallies = article_tallies(articles=list(articles))
    assert sum(t.total for t in tallies.values()) == expected["votes"]

    call_command("debates_import_republique", "etat", str(directory))  # again: nothing added
    assert articles.count() == expected["opinions"]
    assert arguments.count() == expected["arguments"]

    # a past consultation: everything is shown, nothing can be added
    from django.urls import reverse
    from django.utils import translation

    from parlons.modules.debates.hooks import instance_kwargs
    from parlons.modules.debates.services.text import do_vote_article

    busiest = max(articles, key=lambda a: a.comment_count)
    with translation.override("en"):
        listing = reverse("debates:detail", kwargs=instance_kwargs(busiest.instance))
    page = client.get(listing + "?order=debated").text
    first = page.split('class="article-list"')[1].split("</li>")[0]
    assert busiest.title in first
    with pytest.raises(Refused):
        do_vote_article(person=make_participant(), article=busiest, value=1)


CONVERSATIONS = ("football-concussions", "scoop-hivemind.ubi", "vtaiwan.uberx")


@pytest.mark.parametrize("name", CONVERSATIONS)
def test_polis_conversation_import_then_export_is_lossless(name, make_debate, tmp_path):
    from parlons.formats import polis
    from parlons.modules.debates.polis_io import do_import_conversation, export_conversation

    original = polis.read_conversation(directory=shared_data("polis", name))
    debate = make_debate("map")
    do_import_conversation(actor=None, instance=debate.instance, conversation=original)
    polis.write_conversation(
        conversation=export_conversation(instance=debate.instance), directory=tmp_path
    )
    again = polis.read_conversation(directory=tmp_path)
    assert again.summary == original.summary
    assert again.comments == original.comments
    assert again.votes == original.votes
    assert again.vote_columns == original.vote_columns
    assert again.participants == original.participants
