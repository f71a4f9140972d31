"""Official answers: evaluators give a status at any time; authors and supporters are told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from parlons.contributions.models import Answer
from parlons.contributions.services import do_answer, do_bulk_answer, do_support
from parlons.core.audit.models import AuditEntry
from parlons.core.permissions import Refused

pytestmark = pytest.mark.django_db


def test_an_answer_sets_the_status_and_emails_author_and_supporters_in_their_languages(
    make_idea_box, make_idea, make_participant, make_member, django_capture_on_commit_callbacks
):
    box = make_idea_box()
    author = make_participant(language="fr")
    idea = make_idea(box, author=author, title="Un jardin partagé rue Haute")
    supporters = [make_participant(language=lang) for lang in ("de", "en")]
    for person in supporters:
        do_support(person=person, obj=idea)
    past = timezone.now() - timedelta(days=1)
    type(box.phase).objects.filter(pk=box.phase.pk).update(  # answers come after the phase
        starts_at=past - timedelta(days=10), ends_at=past
    )
    evaluator = make_member(box.organisation, "evaluator")

    with django_capture_on_commit_callbacks(execute=True):
        answer = do_answer(
            person=evaluator,
            obj=idea,
            status="accepted",
            explanation={"fr": "Retenu pour 2027.", "de": "Für 2027 angenommen.", "en": ""},
        )
    idea.refresh_from_db()
    assert idea.status == "accepted"
    assert (answer.status, answer.explanation) == (
        "accepted",
        {"fr": "Retenu pour 2027.", "de": "Für 2027 angenommen."},
    )
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {author.email, *(p.email for p in supporters)}
    assert by_recipient[author.email].subject == "Réponse officielle : Un jardin partagé rue Haute"
    assert "Statut : Acceptée" in by_recipient[author.email].body
    assert "Retenu pour 2027." in by_recipient[author.email].body
    german = by_recipient[supporters[0].email]
    assert german.subject == "Offizielle Antwort: Un jardin partagé rue Haute"
    assert "Für 2027 angenommen." in german.body
    english = by_recipient[supporters[1].email]
    assert "Status: Accepted" in english.body and "which you support" in english.body
    assert AuditEntry.objects.filter(code="ideas.answer.given", actor=evaluator).count() == 1


def test_only_evaluators_and_administrators_answer(
    idea_box, make_idea, make_participant, make_member
):
    idea = make_idea(idea_box)
    for person in (make_participant(), make_member(idea_box.organisation, "moderator")):
        with pytest.raises(Refused):
            do_answer(person=person, obj=idea, status="accepted")
    assert Answer.objects.count() == 0


def test_an_unknown_status_is_refused(idea_box, make_idea, make_member):
    idea = make_idea(idea_box)
    with pytest.raises(ValidationError):
        do_answer(person=make_member(idea_box.organisation, "admin"), obj=idea, status="maybe")
    assert Answer.objects.count() == 0


def test_a_bulk_answer_is_all_or_nothing(idea_box, make_idea, make_member, make_idea_box):
    evaluator = make_member(idea_box.organisation, "evaluator")
    mine = [make_idea(idea_box) for _ in range(3)]
    elsewhere = make_idea(make_idea_box())  # another organisation: the evaluator has no role
    with pytest.raises(Refused):
        do_bulk_answer(person=evaluator, objs=[*mine, elsewhere], status="rejected")
    assert Answer.objects.count() == 0
    do_bulk_answer(person=evaluator, objs=mine, status="under_review", notify=False)
    assert sorted(Answer.objects.values_list("target_id", flat=True)) == sorted(i.pk for i in mine)
