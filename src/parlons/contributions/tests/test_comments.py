"""Comments: threads of three levels, positions, edits with history, soft deletes, orders."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from parlons.contributions.models import Comment, CommentVersion, Report
from parlons.contributions.selectors import thread_of
from parlons.contributions.services import (
    do_comment,
    do_delete_comment,
    do_edit_comment,
    do_support,
)
from parlons.core.permissions import Refused

pytestmark = pytest.mark.django_db


def test_a_thread_goes_three_levels_deep_and_reads_in_order(idea_box, make_idea, make_participant):
    idea = make_idea(idea_box)
    ann, bob, cyd = (make_participant(display_name=n) for n in ("Ann", "Bob", "Cyd"))
    top = do_comment(person=ann, obj=idea, body="Premier avis sur l'idée.", alignment=1)
    reply = do_comment(person=bob, obj=idea, body="Une réponse à Ann.", parent_id=top.pk)
    deeper = do_comment(person=cyd, obj=idea, body="Une réponse à Bob.", parent_id=reply.pk)
    second = do_comment(person=bob, obj=idea, body="Un second avis.", alignment=-1)

    assert (reply.depth, reply.root_id, deeper.depth, deeper.root_id) == (1, top.pk, 2, top.pk)
    thread = thread_of(obj=idea, person=ann)
    assert [c.pk for c in thread.comments] == [top.pk, reply.pk, deeper.pk, second.pk]
    assert [c.reply_to.pk if c.reply_to else None for c in thread.comments] == [
        None,
        top.pk,
        reply.pk,
        None,
    ]
    assert [c.can_reply for c in thread.comments] == [True, True, False, True]
    assert [c.mine for c in thread.comments] == [True, False, False, False]
    assert (top.alignment, second.alignment) == (1, -1)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        do_comment(person=ann, obj=idea, body="Trop profond.", parent_id=deeper.pk)
    assert refused.value.messages == [
        "Replies go 3 levels deep at most: reply to the comment above."
    ]
    assert Comment.objects.count() == 4


def test_comments_sort_by_newest_oldest_and_most_supported(
    idea_box, make_idea, make_participant, refresh_counts
):
    idea = make_idea(idea_box)
    first, middle, last = (
        do_comment(person=make_participant(), obj=idea, body=f"Commentaire {n}.") for n in range(3)
    )
    for _ in range(2):
        do_support(person=make_participant(), obj=middle)
    do_support(person=make_participant(), obj=last)
    refresh_counts()
    person = make_participant()

    def order(name):
        return [c.pk for c in thread_of(obj=idea, person=person, order=name).comments]

    assert order("oldest") == [first.pk, middle.pk, last.pk]
    assert order("newest") == [last.pk, middle.pk, first.pk]
    assert order("supported") == [middle.pk, last.pk, first.pk]
    assert order("nonsense") == order("oldest")


def test_an_edit_keeps_the_previous_text_in_the_history(idea_box, make_idea, make_participant):
    idea = make_idea(idea_box)
    author = make_participant()
    comment = do_comment(person=author, obj=idea, body="Première version.", alignment=0)
    do_edit_comment(person=author, comment=comment, body="Deuxième version.", alignment=1)
    do_edit_comment(person=author, comment=comment, body="Troisième version.", alignment=1)

    comment.refresh_from_db()
    assert (comment.body, comment.alignment, comment.edited_at is not None) == (
        "Troisième version.",
        1,
        True,
    )
    assert [(v.body, v.alignment) for v in CommentVersion.objects.filter(comment=comment)] == [
        ("Deuxième version.", 1),
        ("Première version.", 0),
    ]


def test_only_the_author_edits_or_deletes(idea_box, make_idea, make_participant):
    idea = make_idea(idea_box)
    comment = do_comment(person=make_participant(), obj=idea, body="Mon avis.")
    other = make_participant()
    with pytest.raises(Refused):
        do_edit_comment(person=other, comment=comment, body="Piraté.")
    with pytest.raises(Refused):
        do_delete_comment(person=other, comment=comment)
    comment.refresh_from_db()
    assert (comment.body, comment.deleted_at, comment.versions.count()) == ("Mon avis.", None, 0)


def test_a_deleted_comment_keeps_its_replies_and_leaves_the_count(
    idea_box, make_idea, make_participant, refresh_counts
):
    idea = make_idea(idea_box)
    author = make_participant()
    top = do_comment(person=author, obj=idea, body="Je retire ceci plus tard.")
    reply = do_comment(person=make_participant(), obj=idea, body="Réponse.", parent_id=top.pk)
    refresh_counts()
    idea.refresh_from_db()
    assert idea.comment_count == 2

    do_delete_comment(person=author, comment=top)
    refresh_counts()
    idea.refresh_from_db()
    assert idea.comment_count == 1
    thread = thread_of(obj=idea, person=author)
    assert [c.pk for c in thread.comments] == [top.pk, reply.pk]
    assert thread.comments[0].deleted_at is not None
    assert thread.comments[0].can_reply is False
    with pytest.raises(ValidationError):
        do_comment(person=make_participant(), obj=idea, body="Réponse.", parent_id=top.pk)


@pytest.mark.parametrize(
    "body",
    [
        "<script>alert(1)</script>",
        'Voir <img src=x onerror="alert(1)">',
        "Texte <b>gras</b>",
        "<!-- caché -->",
        '<a href="javascript:alert(1)">lien</a>',
    ],
)
def test_html_is_refused_with_a_clear_message(idea_box, make_idea, make_participant, body):
    idea = make_idea(idea_box)
    with translation.override("fr"), pytest.raises(ValidationError) as refused:
        do_comment(person=make_participant(), obj=idea, body=body)
    assert refused.value.messages[0].startswith("Le HTML n'est pas accepté")
    assert Comment.objects.count() == 0


def test_markdown_and_autolinks_are_welcome(idea_box, make_idea, make_participant):
    idea = make_idea(idea_box)
    body = "**Oui** : voir <https://example.org> et 3 < 5 > 2."
    comment = do_comment(person=make_participant(), obj=idea, body=body)
    assert comment.body == body


def test_a_reply_is_emailed_to_the_author_in_their_language(
    idea_box, make_idea, make_participant, django_capture_on_commit_callbacks
):
    idea = make_idea(idea_box, title="Des bancs au parc")
    anna = make_participant(display_name="Anna", language="de")
    quiet = make_participant(display_name="Quiet", notify_replies=False)
    top = do_comment(person=anna, obj=idea, body="Gute Idee.")
    silent = do_comment(person=quiet, obj=idea, body="Sans e-mail, merci.")
    with django_capture_on_commit_callbacks(execute=True):
        do_comment(
            person=make_participant(display_name="Paul"), obj=idea, body="Merci !", parent_id=top.pk
        )
        do_comment(person=make_participant(), obj=idea, body="Réponse.", parent_id=silent.pk)
        do_comment(person=anna, obj=idea, body="Ich antworte mir.", parent_id=top.pk)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [anna.email]
    assert message.subject == "Paul hat auf Ihren Kommentar geantwortet"
    assert "Des bancs au parc" in message.body and "Merci !" in message.body


def test_spam_words_hide_the_comment_until_a_moderator_looks(idea_box, make_idea, make_participant):
    idea = make_idea(idea_box)
    comment = do_comment(
        person=make_participant(), obj=idea, body="Gagnez gros au CASINO EN LIGNE ici."
    )
    assert comment.hidden_at is not None
    report = Report.objects.get()
    assert (report.automatic, report.reason, report.details) == (True, "spam", "casino en ligne")


def test_profanity_is_refused_naming_the_words(idea_box, make_idea, make_participant):
    idea = make_idea(idea_box)
    with translation.override("de"), pytest.raises(ValidationError) as refused:
        do_comment(person=make_participant(), obj=idea, body="So ein Arschloch, echt.")
    assert refused.value.messages == [
        "Bitte formulieren Sie um: Diese Wörter werden hier nicht akzeptiert: arschloch."
    ]
    assert Comment.objects.count() == 0


def test_commenting_outside_the_phase_or_anonymously_is_refused(
    make_idea_box, make_idea, make_participant
):
    closed = make_idea(make_idea_box(when="after"))
    with pytest.raises(Refused) as refused:
        do_comment(person=make_participant(), obj=closed, body="Trop tard.")
    assert refused.value.decision.reason == "phase_closed"
    open_idea = make_idea(make_idea_box())
    with pytest.raises(Refused) as refused:
        do_comment(person=AnonymousUser(), obj=open_idea, body="Anonyme.")
    assert refused.value.decision.reason == "login_required"
    assert Comment.objects.count() == 0


def test_an_empty_or_too_long_comment_is_refused(idea_box, make_idea, make_participant):
    idea = make_idea(idea_box)
    person = make_participant()
    with translation.override("en"), pytest.raises(ValidationError) as empty:
        do_comment(person=person, obj=idea, body="   ")
    assert empty.value.messages == ["This field is required."]
    with translation.override("en"), pytest.raises(ValidationError) as long:
        do_comment(person=person, obj=idea, body="x" * 5001)
    assert long.value.messages == ["5000 characters at most (this text has 5001)."]
    assert Comment.objects.count() == 0
