"""Texts from Markdown headings; a Polis conversation through the command line."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from parlons.modules.debates.importing import parse_markdown
from parlons.testing.data import shared_data


def test_two_heading_levels_make_sections_and_articles():
    parsed = parse_markdown(
        "Préambule ignoré.\n\n# Titre I\n\n## Article 1\n\nPremier.\n\n### Détail\n\nSuite.\n"
        "\n## Article 2\n\nSecond.\n\n# Titre II\n\n## Article 3\n\nTroisième."
    )
    assert [s.title for s in parsed] == ["Titre I", "Titre II"]
    assert [[a.title for a in s.articles] for s in parsed] == [
        ["Article 1", "Article 2"],
        ["Article 3"],
    ]
    assert parsed[0].articles[0].body == "Premier.\n\n### Détail\n\nSuite."


def test_one_heading_level_makes_articles_only():
    parsed = parse_markdown("## Article 1\nUn.\n## Article 2\nDeux.")
    assert [s.title for s in parsed] == [""]
    assert [(a.title, a.body) for a in parsed[0].articles] == [
        ("Article 1", "Un."),
        ("Article 2", "Deux."),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [("Pas de titre du tout.", "no headings"), ("## Article 1\n\n## Article 2\nDeux.", "no text")],
)
def test_bad_texts_are_refused(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_markdown(text)


@pytest.mark.django_db
def test_a_refused_import_writes_nothing(make_debate):
    from parlons.modules.debates.importing import do_import_text
    from parlons.modules.debates.models import Article, Section

    debate = make_debate()
    with pytest.raises(ValidationError):
        do_import_text(actor=None, instance=debate.instance, text="# T\n## A\n\n## B\nb")
    assert (Article.objects.count(), Section.objects.count()) == (0, 0)
    created = do_import_text(actor=None, instance=debate.instance, text="# T\n## A\na\n## B\nb")
    assert [a.position for a in created] == [0, 1]
    more = do_import_text(actor=None, instance=debate.instance, text="## C\nc")
    assert more[0].position == 2


@pytest.mark.django_db
def test_the_polis_command_imports_a_conversation_and_computes_its_map(make_debate, capsys):
    from django.core.management import call_command

    from parlons.formats import polis
    from parlons.modules.debates.models import MapState, Statement, StatementVote

    directory = shared_data("polis", "scoop-hivemind.ubi")
    conversation = polis.read_conversation(directory=directory)
    debate = make_debate("map")
    instance = debate.instance
    org, process = instance.process.organisation.slug, instance.process.slug
    call_command("debates_import_polis", org, process, instance.slug, str(directory))
    assert "groups" in capsys.readouterr().out
    assert Statement.objects.filter(instance=instance).count() == len(conversation.comments)
    assert StatementVote.objects.filter(instance=instance).count() == len(
        polis.latest_votes(votes=conversation.votes)
    )
    result = MapState.objects.get(instance=instance).result
    ours = {int(k): v["group"] for k, v in result["participants"].items()}
    theirs = {p.participant: p.group_id for p in conversation.participants}
    grouped = [pid for pid, g in theirs.items() if g is not None and ours.get(pid) is not None]
    agreement = _rand_index([theirs[p] for p in grouped], [ours[p] for p in grouped])
    with capsys.disabled():
        print(
            f"scoop-hivemind.ubi: Polis {conversation.summary_value('groups')} groups, ours "
            f"{len(result['groups'])}; adjusted Rand index {agreement:.3f}"
        )
    assert len(result["groups"]) >= 2


def _rand_index(a: list, b: list) -> float:
    """Adjusted Rand index of two labellings (Hubert and Arabie, 1985)."""
    from collections import Counter
    from math import comb

    pairs = Counter(zip(a, b, strict=True))
    sum_cells = sum(comb(n, 2) for n in pairs.values())
    sum_a = sum(comb(n, 2) for n in Counter(a).values())
    sum_b = sum(comb(n, 2) for n in Counter(b).values())
    expected = sum_a * sum_b / comb(len(a), 2)
    top = (sum_a + sum_b) / 2
    return 1.0 if top == expected else (sum_cells - expected) / (top - expected)
