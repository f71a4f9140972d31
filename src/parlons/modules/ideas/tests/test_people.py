"""Personal data: exported, then erased with the contributions and tallies kept."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from parlons.contributions.models import Comment, Report, Support
from parlons.contributions.services import do_comment, do_report, do_support
from parlons.core.participants.privacy import do_erase_participant, export_personal_data

pytestmark = pytest.mark.django_db


def test_the_export_holds_ideas_comments_supports_and_reports(
    idea_box, make_idea, make_participant
):
    person = make_participant()
    mine = make_idea(idea_box, author=person, title="Mon idée à moi")
    other = make_idea(idea_box)
    do_support(person=person, obj=other)
    do_comment(person=person, obj=other, body="Mon commentaire.")
    do_report(person=person, obj=other, reason="off_topic")
    archive = zipfile.ZipFile(io.BytesIO(export_personal_data(participant=person)))
    data = json.loads(archive.read("modules/ideas.json"))
    assert [i["title"] for i in data["ideas"]] == ["Mon idée à moi"]
    assert [c["body"] for c in data["comments"]] == ["Mon commentaire."]
    assert [s["on"] for s in data["supports"]] == [f"ideas.idea#{other.pk}"]
    assert [r["reason"] for r in data["reports"]] == ["off_topic"]
    assert data["ideas"][0]["id"] == mine.pk


def test_erasure_keeps_the_texts_and_the_counts(
    idea_box, make_idea, make_participant, refresh_counts
):
    person = make_participant()
    mine = make_idea(idea_box, author=person)
    other = make_idea(idea_box)
    do_support(person=person, obj=other)
    comment = do_comment(person=person, obj=other, body="Je reste, anonyme.")
    do_report(person=person, obj=mine, reason="spam")
    do_erase_participant(participant=person, actor=person)
    refresh_counts()
    mine.refresh_from_db()
    other.refresh_from_db()
    comment.refresh_from_db()
    assert mine.author is None and comment.author is None
    assert comment.body == "Je reste, anonyme."
    assert Support.objects.get().participant is None
    assert Report.objects.get().reporter is None
    assert (other.support_count, other.comment_count) == (1, 1)
    assert Comment.objects.count() == 1
