"""Reports, automatic hiding, moderators' decisions (audited), blocks, the word filter."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from parlons.contributions.models import Block, Report, WordList
from parlons.contributions.selectors import moderation_queue
from parlons.contributions.services import (
    do_block,
    do_comment,
    do_dismiss_reports,
    do_hide,
    do_lift_block,
    do_report,
    do_restore,
    do_save_word_list,
    do_support,
)
from parlons.contributions.wordlists import words_for
from parlons.core.audit.models import AuditEntry
from parlons.core.permissions import Refused

pytestmark = pytest.mark.django_db


def test_a_report_is_recorded_once_per_participant(idea_box, make_idea, make_participant):
    idea = make_idea(idea_box)
    person = make_participant()
    do_report(person=person, obj=idea, reason="off_topic", details="Rien à voir.")
    with translation.override("fr"), pytest.raises(ValidationError) as twice:
        do_report(person=person, obj=idea, reason="spam")
    assert twice.value.messages == ["Vous avez déjà signalé ceci."]
    with pytest.raises(ValidationError):
        do_report(person=make_participant(), obj=idea, reason="because")
    assert list(Report.objects.values_list("reason", "details")) == [("off_topic", "Rien à voir.")]


def test_reports_work_whatever_the_phase(make_idea_box, make_idea, make_participant):
    idea = make_idea(make_idea_box(when="after"))
    do_report(person=make_participant(), obj=idea, reason="offensive")
    assert Report.objects.count() == 1


def test_the_third_report_hides_until_a_moderator_decides(
    make_idea_box, make_idea, make_participant
):
    box = make_idea_box(settings={"hide_after_reports": 3})
    idea = make_idea(box)
    for n in range(3):
        do_report(person=make_participant(), obj=idea, reason="spam")
        idea.refresh_from_db()
        assert (idea.hidden_at is not None) == (n == 2)
    assert AuditEntry.objects.filter(code="ideas.contribution.hidden").count() == 1
    [item] = moderation_queue(instance=box.instance)
    assert (item.obj.pk, item.hidden, len(item.reports)) == (idea.pk, True, 3)


def test_moderators_hide_restore_and_dismiss_every_decision_audited(
    idea_box, make_idea, make_participant, make_member, django_capture_on_commit_callbacks
):
    author = make_participant(language="en")
    idea = make_idea(idea_box, author=author, title="Paint the bridge")
    do_report(person=make_participant(), obj=idea, reason="offensive")
    moderator = make_member(idea_box.organisation, "moderator")

    with django_capture_on_commit_callbacks(execute=True):
        do_hide(person=moderator, obj=idea, note="Insults in the text.")
    idea.refresh_from_db()
    assert idea.hidden_at is not None
    assert Report.objects.get().resolution == "hidden"
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        [author.email],
        "Your contribution was hidden by the moderators",
    )
    assert "Paint the bridge" in message.body and "Insults in the text." in message.body

    do_restore(person=moderator, obj=idea)
    idea.refresh_from_db()
    assert idea.hidden_at is None
    do_report(person=make_participant(), obj=idea, reason="spam")
    assert do_dismiss_reports(person=moderator, obj=idea) == 1
    assert moderation_queue(instance=idea_box.instance) == []
    codes = list(
        AuditEntry.objects.filter(actor=moderator).order_by("pk").values_list("code", flat=True)
    )
    assert codes == [
        "ideas.contribution.hidden",
        "ideas.contribution.restored",
        "ideas.reports.dismissed",
    ]


def test_participants_and_evaluators_cannot_moderate(
    idea_box, make_idea, make_participant, make_member
):
    idea = make_idea(idea_box)
    for person in (make_participant(), make_member(idea_box.organisation, "evaluator")):
        with pytest.raises(Refused) as refused:
            do_hide(person=person, obj=idea)
        assert refused.value.decision.reason == "role_required"
    idea.refresh_from_db()
    assert idea.hidden_at is None


def test_hiding_a_comment_removes_it_from_the_count(
    idea_box, make_idea, make_participant, make_member, refresh_counts
):
    idea = make_idea(idea_box)
    comment = do_comment(person=make_participant(), obj=idea, body="Un avis.")
    refresh_counts()
    idea.refresh_from_db()
    assert idea.comment_count == 1
    do_hide(person=make_member(idea_box.organisation, "moderator"), obj=comment)
    refresh_counts()
    idea.refresh_from_db()
    assert idea.comment_count == 0


def test_a_blocked_participant_is_told_and_can_no_longer_contribute(
    idea_box, make_idea, make_participant, make_member, django_capture_on_commit_callbacks
):
    idea = make_idea(idea_box)
    troll = make_participant(language="fr")
    moderator = make_member(idea_box.organisation, "moderator")
    with django_capture_on_commit_callbacks(execute=True):
        block = do_block(
            person=moderator,
            participant=troll,
            organisation=idea_box.organisation,
            message="Insultes répétées malgré nos avertissements.",
            module="ideas",
        )
    [message] = mail.outbox
    assert message.to == [troll.email]
    assert "Insultes répétées" in message.body
    assert message.subject.startswith("Votre participation")

    troll = type(troll).objects.get(pk=troll.pk)  # a new request: no cached answer
    for action in (
        lambda: do_support(person=troll, obj=idea),
        lambda: do_comment(person=troll, obj=idea, body="Encore moi."),
        lambda: do_report(person=troll, obj=idea, reason="spam"),
    ):
        with translation.override("en"), pytest.raises(Refused) as refused:
            action()
        with translation.override("en"):
            assert "blocked your account" in str(refused.value.decision.message)

    with pytest.raises(ValidationError):
        do_block(
            person=moderator,
            participant=troll,
            organisation=idea_box.organisation,
            message="Encore.",
            module="ideas",
        )
    do_lift_block(person=moderator, block=block, module="ideas")
    troll = type(troll).objects.get(pk=troll.pk)
    do_support(person=troll, obj=idea)
    assert AuditEntry.objects.filter(code="ideas.participant.blocked").count() == 1
    assert AuditEntry.objects.filter(code="ideas.participant.unblocked").count() == 1


def test_organisers_cannot_be_blocked(idea_box, make_member):
    moderator = make_member(idea_box.organisation, "moderator")
    evaluator = make_member(idea_box.organisation, "evaluator")
    with pytest.raises(ValidationError):
        do_block(
            person=moderator,
            participant=evaluator,
            organisation=idea_box.organisation,
            message="Non.",
            module="ideas",
        )
    assert Block.objects.count() == 0


def test_an_organisation_replaces_a_word_list(idea_box, make_idea, make_participant, make_member):
    organisation = idea_box.organisation
    moderator = make_member(organisation, "moderator")
    assert "connard" in words_for(organisation=organisation, kind="profanity")
    do_save_word_list(
        person=moderator,
        organisation=organisation,
        language="fr",
        kind="profanity",
        words="patate\nchou-fleur*\n",
        module="ideas",
    )
    words = words_for(organisation=organisation, kind="profanity", languages=["fr"])
    assert words == ["chou-fleur*", "patate"]
    idea = make_idea(idea_box)
    do_comment(person=make_participant(), obj=idea, body="Quel connard, franchement.")
    with pytest.raises(ValidationError, match="chou-fleur"):
        do_comment(person=make_participant(), obj=idea, body="Des choux-fleurs partout")
    with pytest.raises(ValidationError, match="patate"):
        do_comment(person=make_participant(), obj=idea, body="Espèce de PATATE !")
    with pytest.raises(Refused):
        do_save_word_list(
            person=make_participant(),
            organisation=organisation,
            language="fr",
            kind="spam",
            words="x",
            module="ideas",
        )
    assert WordList.objects.count() == 1
