"""``parlons import ideas``: the real Decide Madrid (CONSUL) and Lille (Decidim) exports go
in with their threads and counts; a bad file is refused naming the line, and nothing
changes; the pages and the API then run as many queries as for a small idea box."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from parlons.contributions.models import Comment
from parlons.core.audit.models import AuditEntry
from parlons.modules.ideas.importing import markdown_of
from parlons.modules.ideas.models import Category, Idea
from parlons.modules.ideas.tests.bulk import fill
from parlons.testing.data import shared_data

pytestmark = pytest.mark.django_db

MADRID = ("consultations", "es_madrid_decide")
LILLE = ("consultations", "fr_lille_granddebat_2019_decidim")


def _address(box) -> str:
    return f"{box.organisation.slug}/{box.process.slug}/{box.instance.slug}"


def _import(box, ideas, comments=None, **options) -> str:
    from io import StringIO

    out = StringIO()
    extra = {"comments": str(comments)} if comments else {}
    call_command(
        "import", "ideas", into=_address(box), ideas=str(ideas), stdout=out, **extra, **options
    )
    return out.getvalue()


def _snapshot():
    return (Idea.objects.count(), Comment.objects.count(), Category.objects.count())


@pytest.fixture
def madrid(make_idea_box):
    folder = shared_data(*MADRID)
    box = make_idea_box()
    output = _import(
        box,
        folder / "proposals_2015_subset.csv",
        folder / "comments_2015_subset.csv",
        origin="decide.madrid.es",
        language="es",
    )
    return box, output


def test_decide_madrid_proposals_and_comments_are_imported_with_their_threads(madrid):
    box, output = madrid
    comments = Comment.objects.filter(instance=box.instance)
    assert Idea.objects.filter(instance=box.instance).count() == 80
    assert comments.count() == 5633
    assert comments.filter(deleted_at__isnull=False).count() == 62  # exported without text
    assert output.startswith("80 ideas and 5633 comments imported")
    assert "268 replies whose parent is not in the file start a thread" in output

    cleaning = Idea.objects.get(instance=box.instance, external_id="7")
    assert (cleaning.title, cleaning.reference, cleaning.language) == (
        "Limpiar las calles",
        "MAD-2015-09-7",
        "es",
    )
    assert (cleaning.support_count, cleaning.support_offset, cleaning.comment_count) == (
        6560,
        6560,
        178,
    )
    assert sum(
        Idea.objects.filter(instance=box.instance).values_list("support_count", flat=True)
    ) == (228140)
    assert Counter(Idea.objects.values_list("status", flat=True)) == {"published": 80}

    reply = comments.get(external_id="17127")  # 17127 → 17107 → 17092 (top)
    assert (reply.depth, reply.parent.external_id, reply.root.external_id) == (2, "17107", "17092")
    assert comments.order_by("-depth").first().depth == 24
    assert comments.filter(depth=0, root__isnull=False).count() == 0
    assert sum(comments.values_list("support_count", flat=True)) == 10967
    assert sum(comments.values_list("oppose_count", flat=True)) == 4204
    assert AuditEntry.objects.filter(code="ideas.ideas.imported").count() == 1


def test_importing_again_adds_nothing(madrid):
    box, _output = madrid
    folder = shared_data(*MADRID)
    before = _snapshot()
    output = _import(
        box,
        folder / "proposals_2015_subset.csv",
        folder / "comments_2015_subset.csv",
        origin="decide.madrid.es",
    )
    assert _snapshot() == before
    assert output.startswith("0 ideas and 0 comments imported")
    assert "already there: 80 ideas, 5633 comments" in output


def test_the_consul_export_of_2024_turns_html_into_markdown(make_idea_box):
    path = shared_data(*MADRID, "proposals_2024_2025.csv")
    box = make_idea_box()
    _import(box, path, origin="decide.madrid.es", language="es")
    ideas = Idea.objects.filter(instance=box.instance)
    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    assert ideas.count() == len(rows) == 2738
    assert ideas.filter(status="withdrawn").count() == sum(1 for r in rows if r["retired_at"])
    assert not any("<p>" in body for body in ideas.values_list("body", flat=True))
    area = ideas.get(external_id="35574")
    assert area.body.startswith("El principal objetivo de esta propuesta")
    assert timezone.localtime(area.created_at).date().isoformat() == "2024-01-01"


def test_a_decidim_export_brings_its_categories(make_idea_box):
    folder = shared_data(*LILLE)
    box = make_idea_box()
    output = _import(box, folder / "propositions-libres.csv", language="fr")
    ideas = Idea.objects.filter(instance=box.instance)
    assert ideas.count() == 196
    assert Category.objects.filter(instance=box.instance).count() == 5
    assert ideas.filter(category__isnull=False).count() == 162
    assert sum(ideas.values_list("support_count", flat=True)) == 498
    assert "5 new categories" in output
    linky = ideas.get(external_id="418")
    assert linky.title == "Non au déploiement forcé des compteurs intelligents Linky"
    assert linky.category.name["fr"] == "Autre sujet"


def test_comments_on_proposals_that_are_not_there_refuse_the_whole_import(make_idea_box):
    # The Lille comments file holds Nancy's comments: most name proposals Lille never had.
    folder = shared_data(*LILLE)
    box = make_idea_box()
    with translation.override("en"), pytest.raises(CommandError) as refused:
        _import(
            box, folder / "propositions-libres.csv", folder / "commentaires_propositions_libres.csv"
        )
    assert (
        "the comment is on the proposal “345”, which is neither in the file nor imported before."
        in str(refused.value)
    )
    assert _snapshot() == (0, 0, 0)
    assert not AuditEntry.objects.filter(code="ideas.ideas.imported").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name;text\nA;B\n", "bad.csv is not a proposals export of CONSUL or Decidim"),
        ("id;title;votes\n1;Une idée;12\n2;Une autre;beaucoup\n", "Line 3: “beaucoup” in the"),
        ("id;title\n1;Une idée\n1;Une autre\n", "Line 3: the id “1” is missing or appears twice."),
        ("id;title;created_at\n1;Une idée;hier\n", "Line 2: “hier” is not a date."),
        ("id;title\n1;\n", "Line 2: the title is empty."),
    ],
)
def test_a_malformed_file_is_refused_naming_the_line_and_changes_nothing(
    make_idea_box, tmp_path, content, message
):
    box = make_idea_box()
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match=message):
        _import(box, path)
    assert _snapshot() == (0, 0, 0)


def test_the_errors_read_in_french(make_idea_box, tmp_path):
    box = make_idea_box()
    path = tmp_path / "bad.csv"
    path.write_text("id;title\n1;\n", encoding="utf-8")
    with (
        translation.override("fr"),
        pytest.raises(CommandError, match="Ligne 2 : le titre est vide."),
    ):
        _import(box, path)


def test_an_unknown_idea_box_is_refused(make_idea_box, tmp_path):
    box = make_idea_box()
    path = tmp_path / "ideas.csv"
    path.write_text("id;title\n1;Une idée\n", encoding="utf-8")
    with pytest.raises(CommandError, match="No idea box at"):
        call_command("import", "ideas", into=f"{box.organisation.slug}/x/y", ideas=str(path))


def test_html_becomes_markdown_and_no_tag_survives():
    assert (
        markdown_of(
            '<p>Un <strong>parc</strong> et <a href="https://x.org/a">un lien</a>.</p>'
            "<ul><li>un</li><li>deux</li></ul><script>alert(1)</script>"
        )
        == "Un **parc** et [un lien](https://x.org/a).\n\n- un\n- deux"
    )
    assert (
        markdown_of("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>") == "‹script>alert(1)‹/script>"
    )
    assert markdown_of("Plain text, 3 < 4 and <3") == "Plain text, 3 < 4 and <3"


def _kw(box) -> dict:
    return {
        "organisation_slug": box.organisation.slug,
        "process_slug": box.process.slug,
        "instance_slug": box.instance.slug,
    }


def _queries(client, url) -> int:
    client.get(url)  # warm the caches (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_imported_box_runs_as_many_queries_as_a_small_one(client, madrid, make_idea_box):
    large, _output = madrid
    small = make_idea_box()
    small_ids = fill(small.instance, ideas=3, comments_per_idea=2)
    biggest = Idea.objects.get(instance=large.instance, external_id="7")  # 178 comments, deep
    pages = [
        ("ideas:detail", {}),
        ("ideas:idea", {"pk": (small_ids[0], biggest.pk)}),
    ]
    for name, extra in pages:
        urls = []
        for n, box in enumerate((small, large)):
            kwargs = {key: value[n] for key, value in extra.items()}
            urls.append(reverse(name, kwargs={**_kw(box), **kwargs}))
        assert _queries(client, urls[0]) == _queries(client, urls[1]), name
    for path in ("ideas", "comments", "supports"):
        counts = [
            _queries(client, f"/api/v1/ideas/{_address(box)}/{path}?limit=50")
            for box in (small, large)
        ]
        assert counts[0] == counts[1], path


def test_replies_imported_later_find_their_parents(make_idea_box, tmp_path, refresh_counts):
    box = make_idea_box()
    ideas, first, later = (tmp_path / name for name in ("p.csv", "c1.csv", "c2.csv"))
    ideas.write_text("id;title;body\n1;Une idée;Son texte.\n", encoding="utf-8")
    first.write_text(
        "id,parentId,proposalId,text\n10,-1,1,Premier\n11,10,1,Réponse\n", encoding="utf-8"
    )
    later.write_text("id,parentId,proposalId,text\n12,11,1,Plus tard\n", encoding="utf-8")
    _import(box, ideas, first, origin="x")
    output = _import(box, ideas, later, origin="x")
    assert output.startswith("0 ideas and 1 comments imported")
    reply = Comment.objects.get(external_id="12")
    assert (reply.depth, reply.parent.external_id, reply.root.external_id) == (2, "11", "10")
    assert Idea.objects.get().comment_count == 2  # until the batch count runs
    refresh_counts()
    assert Idea.objects.get().comment_count == 3
