"""Answering: page by page without JavaScript, guests and verified participants, errors."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from parlons.core.participants.models import Guest
from parlons.modules.surveys.models import Response, TextAnswer
from parlons.modules.surveys.services import do_submit_response

from .conftest import options, text

pytestmark = pytest.mark.django_db


def url(questionnaire, name="detail", lang="fr", **kwargs):
    from django.urls import reverse

    instance = questionnaire.instance
    with translation.override(lang):
        return reverse(
            f"surveys:{name}",
            kwargs={
                "organisation_slug": instance.process.organisation.slug,
                "process_slug": instance.process.slug,
                "instance_slug": instance.slug,
                **kwargs,
            },
        )


def test_a_guest_answers_in_german_with_the_conditional_page_served_server_side(
    client, make_questionnaire
):
    questionnaire = make_questionnaire(guests=True)
    start = client.get(url(questionnaire, lang="de"))
    assert "Fragebogen beginnen" in start.content.decode()
    first = client.get(url(questionnaire, "page", lang="de", page_key="p1"))
    assert "Seite 1 von 1" in first.content.decode()
    response = client.post(
        url(questionnaire, "page", lang="de", page_key="p1"),
        {"q-mode": "1", "q-grid-1": "1", "q-grid-2": "2", "q-age": "34", "next": "1"},
    )
    assert response.status_code == 302 and response["Location"].endswith("/page/p2/")
    second = client.get(response["Location"])
    assert (
        "Seite 2 von 2" in second.content.decode() and "Warum das Rad?" in second.content.decode()
    )
    done = client.post(response["Location"], {"q-why": "Schneller", "next": "1"})
    assert done.status_code == 302
    [saved] = Response.objects.filter(questionnaire=questionnaire)
    assert (saved.status, saved.language, saved.participant_id) == ("complete", "de", None)
    assert saved.answers == {"mode": 1, "grid": {"1": 1, "2": 2}, "age": 34, "why": "Schneller"}
    assert list(TextAnswer.objects.values_list("question", "text")) == [("why", "Schneller")]


def test_choosing_the_bus_skips_the_cycling_page(client, make_questionnaire):
    questionnaire = make_questionnaire(guests=True)
    response = client.post(url(questionnaire, "page", page_key="p1"), {"q-mode": "2", "next": "1"})
    assert response["Location"].endswith("/done/")
    assert Response.objects.get().answers == {"mode": 2}


def test_a_required_question_left_empty_and_an_answer_outside_the_options_save_nothing(
    client, make_questionnaire
):
    questionnaire = make_questionnaire(guests=True)
    page = url(questionnaire, "page", lang="de", page_key="p1")
    empty = client.post(page, {"q-age": "34", "next": "1"})
    assert empty.status_code == 400
    assert "Diese Frage ist Pflicht." in empty.content.decode()
    outside = client.post(page, {"q-mode": "7", "q-age": "34", "next": "1"})
    assert outside.status_code == 400
    assert "Diese Antwort gehört nicht zu den Optionen." in outside.content.decode()
    out_of_range = client.post(page, {"q-mode": "2", "q-age": "340", "next": "1"})
    assert "Geben Sie eine Zahl von 0 bis 120 ein." in out_of_range.content.decode()
    assert Response.objects.count() == 0


def test_the_services_refuse_bad_answers_in_the_users_language(
    make_questionnaire, make_participant
):
    questionnaire = make_questionnaire()
    person = make_participant()
    with translation.override("fr"):
        with pytest.raises(ValidationError) as error:
            do_submit_response(
                questionnaire=questionnaire, person=person, answers={"mode": 9}, language="fr"
            )
        assert error.value.messages == [
            "Comment venez-vous ? : Cette réponse ne fait pas partie des options."
        ]
        with pytest.raises(ValidationError) as error:
            do_submit_response(
                questionnaire=questionnaire, person=person, answers={"mode": 1}, language="fr"
            )
        assert error.value.messages == ["Pourquoi le vélo ? : Cette question est obligatoire."]
    assert Response.objects.count() == 0


def test_a_second_response_where_one_is_allowed_is_refused_and_not_saved(
    client, make_questionnaire, make_participant
):
    questionnaire = make_questionnaire()
    person = make_participant()
    do_submit_response(
        questionnaire=questionnaire, person=person, answers={"mode": 2}, language="fr"
    )
    with translation.override("de"), pytest.raises(ValidationError) as error:
        do_submit_response(
            questionnaire=questionnaire,
            person=person,
            answers={"mode": 1, "why": "x"},
            language="de",
        )
    assert error.value.messages == [
        "Sie haben diesen Fragebogen schon beantwortet: nur eine Antwort ist erlaubt."
    ]
    client.force_login(person)
    start = client.get(url(questionnaire, lang="de"))
    assert "Sie haben diesen Fragebogen schon beantwortet. Danke!" in start.content.decode()
    again = client.post(
        url(questionnaire, "page", lang="de", page_key="p1"), {"q-mode": "2", "next": "1"}
    )
    assert "nur eine Antwort ist erlaubt" in again.content.decode()
    assert list(Response.objects.values_list("answers", flat=True)) == [{"mode": 2}]


def test_a_verified_participant_answers_in_french_and_others_are_sent_to_verify(
    client, make_questionnaire, make_participant, make_verification
):
    questionnaire = make_questionnaire(verifications={"postcode": {}})
    person = make_participant()
    client.force_login(person)
    refused = client.get(url(questionnaire))
    assert "Vous devez vérifier" in refused.content.decode()
    assert (
        client.post(url(questionnaire, "page", page_key="p1"), {"q-mode": "2"}).status_code == 302
    )
    assert Response.objects.count() == 0
    make_verification(person, "postcode", organisation=questionnaire.instance.process.organisation)
    client.post(
        url(questionnaire, "page", page_key="p1"), {"q-mode": "2", "q-mode-other": "", "next": "1"}
    )
    assert Response.objects.get().participant == person


def test_save_and_resume_for_a_guest(client, make_questionnaire):
    questionnaire = make_questionnaire(guests=True)
    saved = client.post(url(questionnaire, "page", page_key="p1"), {"q-mode": "1", "save": "1"})
    assert saved.status_code == 302
    draft = Response.objects.get()
    assert (draft.status, draft.page, draft.answers) == ("draft", "p1", {"mode": 1})
    message = client.get(url(questionnaire)).content.decode()
    assert "Reprendre mes réponses" in message
    resume = [line for line in message.split() if "/resume/" in line]
    assert resume, "the resume link is shown to the guest"
    other = type(client)()
    link = resume[0].split("/fr/", 1)[1].rstrip("<").split("<")[0]
    assert other.get("/fr/" + link).status_code == 302
    assert "Reprendre mes réponses" in other.get(url(questionnaire)).content.decode()


def test_a_guest_confirms_by_e_mail_and_only_then_counts(
    client, make_questionnaire, django_capture_on_commit_callbacks
):
    questionnaire = make_questionnaire(guests=True, confirm_guests=True)
    page = url(questionnaire, "page", lang="de", page_key="p1")
    assert "Ihre E-Mail-Adresse" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page, {"q-mode": "2", "guest_email": "Ana@Example.org", "next": "1"})
    response = Response.objects.get()
    assert (response.confirmed, response.guest.email) == (False, "ana@example.org")
    [sent] = mail.outbox
    link = sent.body.split("http://", 1)[1].split()[0].split("/", 1)[1]
    confirmed = client.get("/" + link)
    assert "Antwort bestätigt" in confirmed.content.decode()
    response.refresh_from_db()
    assert response.confirmed is True
    again = type(client)().post(
        page, {"q-mode": "2", "guest_email": "ana@example.org", "next": "1"}
    )
    assert "nur eine Antwort ist erlaubt" in again.content.decode()
    assert Guest.objects.count() == 1 and Response.objects.count() == 1


def test_a_quiz_shows_the_score_and_explanations(client, make_questionnaire):
    quiz = {
        "sections": [],
        "pages": [
            {
                "key": "p1",
                "questions": [
                    {
                        "key": "q1",
                        "type": "single",
                        "text": text("Combien ?"),
                        "options": options("1", "2", "3"),
                        "correct": [2],
                        "explanation": text("Deux éoliennes."),
                    },
                    {
                        "key": "q2",
                        "type": "multiple",
                        "text": text("Lesquels ?"),
                        "options": options("a", "b", "c"),
                        "correct": [1, 3],
                        "explanation": text("a et c."),
                    },
                ],
            }
        ],
    }
    questionnaire = make_questionnaire(quiz, guests=True, is_quiz=True)
    done = client.post(
        url(questionnaire, "page", page_key="p1"),
        {"q-q1": "2", "q-q2": ["1", "2"], "next": "1"},
        follow=True,
    )
    html = done.content.decode()
    assert "Votre score : 1 sur 2" in html
    assert "Deux éoliennes." in html and "a et c." in html
    assert (Response.objects.get().score, Response.objects.get().max_score) == (1, 2)
