"""The surveys module's part of the demo city: a culture-habits survey and an energy quiz.

French first, with English and German. The survey gets 240 answers spread over three
weeks (made with a fixed seed), population margins from the town's census figures, and
published results; the quiz is open to guests.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from parlons.core.operations.demo import DemoPeople, demo_phase
from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import ModuleInstance, Process
from parlons.modules.surveys.coding import Layout, encode
from parlons.modules.surveys.models import Questionnaire, Response
from parlons.modules.surveys.services import do_save_definition, do_save_margins
from parlons.modules.surveys.versions import bump_results_version


def t(fr: str, en: str, de: str) -> dict:
    return {"fr": fr, "en": en, "de": de}


def opts(*labels) -> list[dict]:
    return [{"code": i, "label": t(*label)} for i, label in enumerate(labels, 1)]


AGES = opts(
    ("18-29 ans", "18-29", "18-29 Jahre"),
    ("30-44 ans", "30-44", "30-44 Jahre"),
    ("45-59 ans", "45-59", "45-59 Jahre"),
    ("60 ans et plus", "60 and over", "60 Jahre und älter"),
)
GENDERS = opts(
    ("Femme", "Woman", "Frau"), ("Homme", "Man", "Mann"), ("Autrement", "In another way", "Anders")
)
CULTURE = {
    "sections": [
        {"key": "habits", "title": t("Vos sorties", "Your outings", "Ihre Ausflüge")},
        {"key": "about", "title": t("Vous", "About you", "Über Sie")},
    ],
    "pages": [
        {
            "key": "p1",
            "section": "habits",
            "title": t("Ce que vous fréquentez", "What you go to", "Was Sie besuchen"),
            "questions": [
                {
                    "key": "venues",
                    "type": "multiple",
                    "required": True,
                    "other": True,
                    "text": t(
                        "Quels lieux culturels avez-vous fréquentés cette année ?",
                        "Which cultural venues did you go to this year?",
                        "Welche Kultureinrichtungen haben Sie dieses Jahr besucht?",
                    ),
                    "options": opts(
                        ("La médiathèque", "The library", "Die Mediathek"),
                        ("Le théâtre", "The theatre", "Das Theater"),
                        ("Le cinéma", "The cinema", "Das Kino"),
                        ("Le musée du Lac", "The Lake museum", "Das Seemuseum"),
                        ("Les concerts d'été", "The summer concerts", "Die Sommerkonzerte"),
                    ),
                },
                {
                    "key": "often",
                    "type": "single",
                    "required": True,
                    "text": t(
                        "À quelle fréquence sortez-vous ?",
                        "How often do you go out?",
                        "Wie oft gehen Sie aus?",
                    ),
                    "options": opts(
                        ("Chaque semaine", "Every week", "Jede Woche"),
                        ("Chaque mois", "Every month", "Jeden Monat"),
                        ("Quelques fois par an", "A few times a year", "Einige Male im Jahr"),
                        ("Jamais", "Never", "Nie"),
                    ),
                },
                {
                    "key": "rating",
                    "type": "matrix_single",
                    "text": t("Comment jugez-vous…", "How do you rate…", "Wie bewerten Sie…"),
                    "rows": opts(
                        ("les horaires", "the opening hours", "die Öffnungszeiten"),
                        ("les tarifs", "the prices", "die Preise"),
                        ("l'accès en bus", "access by bus", "die Anbindung mit dem Bus"),
                    ),
                    "columns": opts(
                        ("Bien", "Good", "Gut"),
                        ("Moyen", "Fair", "Mittel"),
                        ("Mal", "Poor", "Schlecht"),
                    ),
                },
            ],
        },
        {
            "key": "p2",
            "section": "habits",
            "title": t("Ce qui vous retient", "What holds you back", "Was Sie abhält"),
            "condition": {
                "mode": "any",
                "rules": [{"question": "often", "op": "is", "value": [3, 4]}],
            },
            "questions": [
                {
                    "key": "barriers",
                    "type": "ranking",
                    "text": t(
                        "Classez ce qui vous empêche de sortir plus",
                        "Rank what stops you going out more",
                        "Ordnen Sie, was Sie am Ausgehen hindert",
                    ),
                    "options": opts(
                        ("Le prix", "Price", "Der Preis"),
                        ("Le temps", "Time", "Die Zeit"),
                        ("Le transport", "Transport", "Der Verkehr"),
                        ("La programmation", "The programme", "Das Programm"),
                    ),
                },
            ],
        },
        {
            "key": "p3",
            "section": "about",
            "title": t("Vous", "About you", "Über Sie"),
            "questions": [
                {
                    "key": "wish",
                    "type": "long_text",
                    "text": t(
                        "Que souhaiteriez-vous voir à Villeneuve ?",
                        "What would you like to see in Villeneuve?",
                        "Was würden Sie gern in Villeneuve sehen?",
                    ),
                },
                {
                    "key": "age",
                    "type": "single",
                    "text": t("Votre âge", "Your age", "Ihr Alter"),
                    "options": AGES,
                },
                {
                    "key": "gender",
                    "type": "single",
                    "text": t("Vous êtes", "You are", "Sie sind"),
                    "options": GENDERS,
                },
                {
                    "key": "consent",
                    "type": "consent",
                    "required": True,
                    "text": t(
                        "J'accepte que mes réponses soient publiées de façon anonyme et agrégée.",
                        "I agree that my answers are published anonymously and in aggregate.",
                        "Ich bin einverstanden, dass meine Antworten anonym und zusammengefasst veröffentlicht werden.",
                    ),
                },
            ],
        },
    ],
}
QUIZ = {
    "sections": [],
    "pages": [
        {
            "key": "p1",
            "title": t(
                "Le parc solaire des Rives", "The Les Rives solar park", "Der Solarpark Les Rives"
            ),
            "questions": [
                {
                    "key": "power",
                    "type": "single",
                    "text": t(
                        "Combien de foyers le parc alimentera-t-il ?",
                        "How many homes will the park supply?",
                        "Wie viele Haushalte wird der Park versorgen?",
                    ),
                    "options": opts(
                        ("500", "500", "500"),
                        ("2 000", "2,000", "2.000"),
                        ("10 000", "10,000", "10.000"),
                    ),
                    "correct": [2],
                    "explanation": t(
                        "2 000 foyers, soit un sur dix à Villeneuve.",
                        "2,000 homes: one in ten in Villeneuve.",
                        "2.000 Haushalte, also jeder zehnte in Villeneuve.",
                    ),
                },
                {
                    "key": "land",
                    "type": "single",
                    "text": t(
                        "Où seront posés les panneaux ?",
                        "Where will the panels go?",
                        "Wo kommen die Module hin?",
                    ),
                    "options": opts(
                        ("Sur l'ancienne décharge", "On the old landfill", "Auf der alten Deponie"),
                        ("Sur des terres agricoles", "On farmland", "Auf Ackerland"),
                        ("Sur le lac", "On the lake", "Auf dem See"),
                    ),
                    "correct": [1],
                    "explanation": t(
                        "Sur l'ancienne décharge : aucune terre agricole n'est prise.",
                        "On the old landfill: no farmland is taken.",
                        "Auf der alten Deponie: kein Ackerland wird genutzt.",
                    ),
                },
                {
                    "key": "share",
                    "type": "multiple",
                    "text": t(
                        "Qui pourra investir dans le parc ?",
                        "Who can invest in the park?",
                        "Wer kann in den Park investieren?",
                    ),
                    "options": opts(
                        ("Les habitants", "Residents", "Die Bevölkerung"),
                        ("La commune", "The town", "Die Gemeinde"),
                        ("Des fonds étrangers", "Foreign funds", "Ausländische Fonds"),
                    ),
                    "correct": [1, 2],
                    "explanation": t(
                        "Habitants et commune, par une coopérative locale.",
                        "Residents and the town, through a local cooperative.",
                        "Bevölkerung und Gemeinde, über eine lokale Genossenschaft.",
                    ),
                },
            ],
        }
    ],
}


def _instance(process, slug, title, **fields) -> ModuleInstance:
    instance, _created = ModuleInstance.objects.get_or_create(
        process=process, slug=slug, module="surveys", defaults={"title": title, **fields}
    )
    return instance


def _answers(rng: random.Random) -> dict:
    answers = {
        "venues": sorted(rng.sample(range(1, 6), rng.randint(1, 3))),
        "often": rng.choices([1, 2, 3, 4], [2, 4, 3, 1])[0],
    }
    answers["rating"] = {str(r): rng.choices([1, 2, 3], [5, 3, 2])[0] for r in (1, 2, 3)}
    if answers["often"] in (3, 4):
        answers["barriers"] = rng.sample(range(1, 5), 4)
    answers["age"] = rng.choices([1, 2, 3, 4], [1, 3, 3, 3])[0]
    answers["gender"] = rng.choices([1, 2, 3], [6, 4, 0.2])[0]
    answers["consent"] = 1
    return answers


def _responses(questionnaire: Questionnaire) -> None:
    rng = random.Random(2027)
    plan = Layout.of(questionnaire.definition)
    now = timezone.now()
    wishes = [
        "Plus de concerts en plein air",
        "Un cinéma ouvert le dimanche",
        "Des ateliers pour les enfants",
        "Une navette le soir vers le théâtre",
        "Des expositions au bord du lac",
    ]
    rows = []
    for n in range(240):
        answers = _answers(rng)
        if n % 6 == 0:
            answers["wish"] = rng.choice(wishes)
        codes, numbers = encode(plan=plan, answers=answers)
        moment = now - timedelta(days=rng.randint(0, 20), hours=rng.randint(0, 12))
        rows.append(
            Response(
                questionnaire=questionnaire,
                status="complete",
                answers=answers,
                codes=codes,
                numbers=numbers,
                fingerprint=questionnaire.fingerprint,
                submitted_at=moment,
                day=timezone.localtime(moment).date().toordinal(),
                language=rng.choice(["fr", "fr", "fr", "en", "de"]),
            )
        )
    created = Response.objects.bulk_create(rows)
    bump_results_version(questionnaire_ids=[questionnaire.pk])
    from parlons.modules.surveys.services import _texts

    for response in (
        created
        if created and created[0].pk
        else Response.objects.filter(questionnaire=questionnaire)
    ):
        _texts(response, questionnaire, response.answers)


def load_demo(*, organisation: Organisation, people: DemoPeople) -> None:
    """A culture-habits survey with answers and margins, and a quiz on the solar park."""
    process, _created = Process.objects.get_or_create(
        organisation=organisation,
        slug="culture-et-energie",
        defaults={
            "title": t(
                "Culture et énergie : votre avis",
                "Culture and energy: your say",
                "Kultur und Energie: Ihre Meinung",
            ),
            "summary": t(
                "Nos sorties culturelles, et le futur parc solaire des Rives.",
                "Our cultural outings, and the future Les Rives solar park.",
                "Unsere Kulturausflüge und der künftige Solarpark Les Rives.",
            ),
        },
    )
    survey = _instance(
        process,
        "habitudes-culturelles",
        t("Vos habitudes culturelles", "Your cultural habits", "Ihre Kulturgewohnheiten"),
        settings={"allow_guests": True},
    )
    quiz = _instance(
        process,
        "quiz-parc-solaire",
        t("Quiz : le parc solaire", "Quiz: the solar park", "Quiz: der Solarpark"),
        settings={"allow_guests": True},
    )
    if not Questionnaire.objects.filter(instance=survey).exists():
        questionnaire = Questionnaire.objects.create(
            instance=survey,
            results_published=True,
            one_response=True,
            intro=t(
                "Dix questions, cinq minutes. Vos réponses orienteront la saison 2027.",
                "Ten questions, five minutes. Your answers will shape the 2027 season.",
                "Zehn Fragen, fünf Minuten. Ihre Antworten prägen die Saison 2027.",
            ),
        )
        do_save_definition(questionnaire=questionnaire, definition=CULTURE, actor=people.organiser)
        _responses(questionnaire)
        do_save_margins(
            questionnaire=questionnaire,
            actor=people.organiser,
            margins=[
                {"variable": "q:age", "targets": {"1": 19, "2": 26, "3": 25, "4": 30}},
                {"variable": "q:gender", "targets": {"1": 52, "2": 47, "3": 1}},
            ],
        )
    if not Questionnaire.objects.filter(instance=quiz).exists():
        questionnaire = Questionnaire.objects.create(
            instance=quiz,
            is_quiz=True,
            one_response=False,
            thanks=t(
                "Merci ! Le dossier complet du parc est en mairie.",
                "Thank you! The full file on the park is at the town hall.",
                "Danke! Die vollständigen Unterlagen zum Park liegen im Rathaus.",
            ),
        )
        do_save_definition(questionnaire=questionnaire, definition=QUIZ, actor=people.organiser)
    demo_phase(
        process,
        title={"fr": "Consultation", "en": "Consultation", "de": "Befragung"},
        days=(-21, 30),
        openings=[(survey, "show"), (survey, "answer"), (quiz, "show"), (quiz, "answer")],
    )
