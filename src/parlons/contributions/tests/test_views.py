"""The contribution views through HTTP: POST, redirect back with a message, errors kept."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parlons.contributions.models import Comment, Report, Support
from parlons.contributions.panels import action_url
from parlons.contributions.services import do_comment, do_edit_comment

pytestmark = pytest.mark.django_db


def _page(idea) -> str:
    process = idea.instance.process
    return reverse(
        "ideas:idea",
        kwargs={
            "organisation_slug": process.organisation.slug,
            "process_slug": process.slug,
            "instance_slug": idea.instance.slug,
            "pk": idea.pk,
        },
    )


def _url(name, idea, **kwargs):
    return action_url(name, instance=idea.instance, **kwargs)


def test_a_comment_posted_goes_back_to_the_idea_with_a_message(
    client, idea_box, make_idea, make_participant
):
    idea = make_idea(idea_box)
    client.force_login(make_participant())
    response = client.post(
        _url("comment", idea, target="ideas.idea", pk=idea.pk),
        {"body": "Très bonne idée.", "alignment": "1"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{_page(idea)}#comment-{comment.pk}"
    page = client.get(response["Location"])
    assert "Très bonne idée." in page.content.decode()
    assert (comment.body, comment.alignment) == ("Très bonne idée.", 1)


def test_a_refused_comment_comes_back_with_its_text_and_the_error(
    client, idea_box, make_idea, make_participant
):
    idea = make_idea(idea_box)
    client.force_login(make_participant())
    text = "Mon avis <script>alert(1)</script>"
    response = client.post(_url("comment", idea, target="ideas.idea", pk=idea.pk), {"body": text})
    assert response["Location"] == f"{_page(idea)}#comment-form"
    page = client.get(_page(idea)).content.decode()
    assert "Mon avis &lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in page
    assert 'aria-invalid="true"' in page
    assert Comment.objects.count() == 0
    again = client.get(_page(idea)).content.decode()  # the draft is shown once
    assert "alert(1)" not in again


def test_support_withdraw_and_report_through_the_views(
    client, idea_box, make_idea, make_participant
):
    idea = make_idea(idea_box)
    client.force_login(make_participant())
    on = {"target": "ideas.idea", "pk": idea.pk}
    assert client.post(_url("support", idea, **on))["Location"] == f"{_page(idea)}#support"
    assert Support.objects.count() == 1
    client.post(_url("support", idea, **on))  # twice: a message, no second row
    assert Support.objects.count() == 1
    client.post(_url("withdraw", idea, **on))
    assert Support.objects.count() == 0
    client.post(_url("report", idea, **on), {"reason": "spam", "details": "Publicité."})
    assert list(Report.objects.values_list("reason", "details")) == [("spam", "Publicité.")]


def test_editing_deleting_and_the_history_page(client, idea_box, make_idea, make_participant):
    idea = make_idea(idea_box)
    author = make_participant()
    comment = do_comment(person=author, obj=idea, body="Version une.")
    do_edit_comment(person=author, comment=comment, body="Version deux.")
    history = client.get(_url("comment_history", idea, pk=comment.pk)).content.decode()
    assert "Version une." in history and "Version deux." in history
    client.force_login(author)
    client.post(_url("comment_edit", idea, pk=comment.pk), {"body": "Version trois."})
    client.post(_url("comment_delete", idea, pk=comment.pk))
    comment.refresh_from_db()
    assert (comment.body, comment.deleted_at is not None) == ("Version trois.", True)
    assert client.get(_url("comment_history", idea, pk=comment.pk)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in_and_nothing_is_written(client, idea_box, make_idea):
    idea = make_idea(idea_box)
    response = client.post(_url("support", idea, target="ideas.idea", pk=idea.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Support.objects.count() == 0


def test_objects_of_another_idea_box_or_unknown_targets_are_not_found(
    client, make_idea_box, make_idea, make_participant
):
    mine, other = make_idea_box(), make_idea_box()
    foreign = make_idea(other)
    here = make_idea(mine)
    client.force_login(make_participant())
    url = action_url("support", instance=mine.instance, target="ideas.idea", pk=foreign.pk)
    assert client.post(url).status_code == 404
    url = action_url("support", instance=mine.instance, target="pages.page", pk=here.pk)
    assert client.post(url).status_code == 404
    assert client.get(_url("support", here, target="ideas.idea", pk=here.pk)).status_code == 405
    assert Support.objects.count() == 0
