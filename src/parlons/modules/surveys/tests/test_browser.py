"""In Chromium, axe on every page: build, answer as a guest (de) and a verified participant (fr),
read live results and a cross-tab, publish; a quiz shows the score."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parlons.core.operations.demo import PASSWORD, current_totp_code, demo_people, load_demo
from parlons.testing.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.slow]


def visit(page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def log_in(page, email: str, *, totp: bool = False) -> None:
    visit(page, "/en/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if totp:
        assert_accessible(page)
        page.get_by_role("textbox", name="Code").fill(current_totp_code())
        page.get_by_role("button", name="Sign In").click()


def setup_process():
    from parlons.core.participants.models import Verification
    from parlons.core.participants.services import do_save_demographics
    from parlons.core.processes.models import ModuleInstance, Opening, Phase, Process

    organisation = load_demo()
    process = Process.objects.create(
        organisation=organisation,
        slug="mobilite",
        title={"fr": "Mobilité", "de": "Mobilität"},
        languages=["fr", "de"],
    )
    instance = ModuleInstance.objects.create(
        process=process,
        module="surveys",
        slug="enquete",
        title={"fr": "Enquête mobilité", "de": "Mobilitätsumfrage"},
    )
    quiz = ModuleInstance.objects.create(
        process=process,
        module="surveys",
        slug="quiz",
        title={"fr": "Quiz énergie", "de": "Energie-Quiz"},
        settings={"allow_guests": True},
    )
    now = timezone.now()
    phase = Phase.objects.create(
        process=process,
        title={"fr": "Enquête"},
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=9),
    )
    for target in (instance, quiz):
        for capability in ("show", "answer"):
            Opening.objects.create(phase=phase, instance=target, capability=capability)
    resident = demo_people().participant
    Verification.objects.create(participant=resident, organisation=organisation, method="postcode")
    do_save_demographics(
        participant=resident, consent=True, values={"age_band": "30-44", "gender": "man"}
    )
    return organisation, process, instance, quiz


def add_question(
    page, *, key, kind, fr, de, options_fr="", options_de="", rows_fr="", rows_de="", required=False
):
    page.get_by_role("textbox", name="Question key").fill(key)
    page.get_by_label("Type").select_option(kind)
    page.get_by_label("Question (français)").fill(fr)
    page.get_by_label("Question (Deutsch)").fill(de)
    if options_fr:
        page.get_by_label("Options, one per line (columns of a matrix) (français)").fill(options_fr)
        page.get_by_label("Options, one per line (columns of a matrix) (Deutsch)").fill(options_de)
    if rows_fr:
        page.get_by_label("Matrix rows, one per line (français)").fill(rows_fr)
        page.get_by_label("Matrix rows, one per line (Deutsch)").fill(rows_de)
    if required:
        page.get_by_role("checkbox", name="Required", exact=False).first.check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The question was saved.")).to_be_visible()
    assert_accessible(page)


def test_build_answer_read_publish_and_a_quiz(page, browser, live_server):
    from parlons.modules.surveys.models import Questionnaire, Response
    from parlons.modules.surveys.services import do_save_definition

    organisation, process, instance, quiz = setup_process()
    builder = (
        f"/en/backoffice/{organisation.slug}/processes/{process.slug}/surveys/{instance.slug}/"
    )
    log_in(page, "organisatrice@villeneuve.demo", totp=True)
    visit(page, builder)

    page.get_by_role("link", name="Settings").first.click()
    assert_accessible(page)
    page.get_by_label("Guests may answer without an account").check()
    page.get_by_label("Minimum cell size of published results").fill("1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The settings were saved.")).to_be_visible()

    page.get_by_role("link", name="Add a page").click()
    assert_accessible(page)
    page.get_by_label("Page title (français)").fill("Vos déplacements")
    page.get_by_label("Page title (Deutsch)").fill("Ihre Wege")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a question (p1)").click()
    assert_accessible(page)
    add_question(
        page,
        key="mode",
        kind="single",
        fr="Comment venez-vous ?",
        de="Wie kommen Sie?",
        options_fr="À vélo\nEn bus",
        options_de="Mit dem Rad\nMit dem Bus",
        required=True,
    )
    page.get_by_role("link", name="Add a question (p1)").click()
    add_question(
        page,
        key="grid",
        kind="matrix_single",
        fr="Votre avis",
        de="Ihre Meinung",
        options_fr="Bien\nMal",
        options_de="Gut\nSchlecht",
        rows_fr="Pistes\nParkings",
        rows_de="Radwege\nParkplätze",
    )

    page.get_by_role("link", name="Add a page").click()
    page.get_by_label("Page title (français)").fill("Le vélo")
    page.get_by_label("Page title (Deutsch)").fill("Das Rad")
    page.get_by_label("Rule 1: question").select_option("mode")
    page.get_by_label("Rule 1: test").select_option("is")
    page.get_by_label("Rule 1: answer codes (e.g. 1,3) or number").fill("1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Shown only under a condition.")).to_be_visible()
    page.get_by_role("link", name="Add a question (p2)").click()
    add_question(page, key="why", kind="long_text", fr="Pourquoi le vélo ?", de="Warum das Rad?")

    page.get_by_role("link", name="Preview").click()
    expect(page.get_by_role("group", name="Pistes")).to_be_visible()
    assert_accessible(page)

    # A guest, in German: the bike answer opens the conditional page.
    guest = browser.new_context(base_url=live_server.url, locale="de-DE").new_page()
    start = f"/de/{organisation.slug}/{process.slug}/surveys/{instance.slug}/"
    visit(guest, start)
    guest.get_by_role("link", name="Den Fragebogen beginnen").click()
    assert_accessible(guest)
    guest.get_by_role("button", name="Weiter").click()  # the required question left empty
    expect(guest.get_by_role("alert").get_by_text("Diese Frage ist Pflicht.")).to_be_visible()
    assert_accessible(guest)
    guest.get_by_label("Mit dem Rad").check()
    guest.get_by_role("group", name="Radwege").get_by_label("Gut").check()
    guest.get_by_role("group", name="Parkplätze").get_by_label("Schlecht").check()
    guest.get_by_role("button", name="Weiter").click()
    expect(guest.get_by_text("Seite 2 von 2")).to_be_visible()
    assert_accessible(guest)
    guest.get_by_label("Warum das Rad?").fill("Es ist schneller.")
    guest.get_by_role("button", name="Meine Antworten senden").click()
    expect(guest.get_by_text("Danke: Ihre Antworten wurden gespeichert.")).to_be_visible()
    assert_accessible(guest)
    guest.context.close()

    # A verified resident, in French, by bus: one page only.
    resident = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    log_in(resident, "habitant@villeneuve.demo")
    visit(resident, start.replace("/de/", "/fr/"))
    resident.get_by_role("link", name="Commencer le questionnaire").click()
    resident.get_by_label("En bus").check()
    resident.get_by_role("group", name="Pistes").get_by_label("Mal").check()
    expect(resident.get_by_text("Page 1 sur 1")).to_be_visible()
    assert_accessible(resident)
    resident.get_by_role("button", name="Continuer").click()
    expect(resident.get_by_text("Merci : vos réponses ont été enregistrées.")).to_be_visible()
    assert_accessible(resident)
    resident.context.close()
    ours = Response.objects.filter(questionnaire__instance=instance)
    assert sorted(ours.values_list("language", "answers__mode")) == [
        ("de", 1),
        ("fr", 2),
    ]

    # Live results, a cross-tab by question and by profile field, then publication.
    visit(page, builder + "results/")
    expect(page.get_by_text("2 responses counted.")).to_be_visible()
    table = page.get_by_role("table", name="Comment venez-vous ? — 2 answers")
    expect(table.get_by_role("row", name="À vélo 1 50.0")).to_be_visible()
    page.get_by_label("Rows").select_option("q:mode")
    page.get_by_label("Columns").select_option("q:grid.1")
    page.get_by_role("button", name="Show").click()
    cross = page.get_by_role("table", name="Comment venez-vous ? × Votre avis — count (row %)")
    expect(cross.get_by_role("row", name="À vélo 1 (100.0 %) 0 (0.0 %) 1")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Columns").select_option("d:gender")
    page.get_by_role("button", name="Show").click()
    expect(
        page.get_by_role("table", name="Comment venez-vous ? × Gender (profile) — count (row %)")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the results").click()
    expect(page.get_by_text("The results are public.").first).to_be_visible()
    visit(page, start.replace("/de/", "/fr/") + "results/")
    expect(page.get_by_text("Résultats de 2 réponses.")).to_be_visible()

    # A quiz shows the score.
    questionnaire = Questionnaire.objects.create(instance=quiz, is_quiz=True)
    do_save_definition(
        questionnaire=questionnaire,
        actor=None,
        definition={
            "sections": [],
            "pages": [
                {
                    "key": "p1",
                    "questions": [
                        {
                            "key": "turbines",
                            "type": "single",
                            "text": {"fr": "Combien d'éoliennes ?"},
                            "options": [
                                {"code": 1, "label": {"fr": "Deux"}},
                                {"code": 2, "label": {"fr": "Cinq"}},
                            ],
                            "correct": [2],
                            "explanation": {"fr": "Le projet prévoit cinq éoliennes."},
                        }
                    ],
                }
            ],
        },
    )
    player = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    visit(player, f"/fr/{organisation.slug}/{process.slug}/surveys/quiz/")
    player.get_by_role("link", name="Commencer le quiz").click()
    player.get_by_label("Deux").check()
    player.get_by_role("button", name="Envoyer mes réponses").click()
    expect(player.get_by_role("heading", name="Votre score : 0 sur 1")).to_be_visible()
    expect(player.get_by_text("Le projet prévoit cinq éoliennes.")).to_be_visible()
    assert_accessible(player)
    player.context.close()
