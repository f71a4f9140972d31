"""The debates' part of the demo city: the digital charter consulted article by article,
a debate on a car-free centre, and an opinion map on cycling."""

from __future__ import annotations

import random

from django.utils import timezone

from parlons.contributions.models import Comment
from parlons.core.operations.demo import DemoPeople, demo_phase
from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import ModuleInstance, Process
from parlons.modules.debates.importing import do_import_text
from parlons.modules.debates.models import Article, Question, Statement, StatementVote, Voter
from parlons.modules.debates.services.maps import do_refresh_map
from parlons.modules.debates.services.questions import do_save_question
from parlons.modules.debates.services.statements import do_seed_statement

CHARTER = """# Titre I — Les données de la ville

## Article 1 — Ouverture par défaut

Les données produites par la ville sont publiées en données ouvertes, sauf si elles
concernent des personnes.

## Article 2 — Format

Les données sont publiées dans des formats ouverts, lisibles par une machine, et mises à
jour au moins une fois par an.

# Titre II — Les services en ligne

## Article 3 — Accessibilité

Chaque service en ligne de la ville respecte le référentiel général d'amélioration de
l'accessibilité.

## Article 4 — Accueil humain

Toute démarche en ligne peut aussi être faite au guichet ou par téléphone.
"""

STATEMENTS = (
    "Les pistes cyclables doivent être séparées de la circulation automobile.",
    "Le stationnement des voitures en centre-ville doit rester gratuit.",
    "La ville devrait prêter des vélos cargos aux familles.",
    "Les trottoirs doivent rester réservés aux piétons.",
    "Il faut limiter la vitesse à 30 km/h dans toute la ville.",
    "Les livraisons en centre-ville devraient se faire à vélo.",
    "Les parkings relais aux entrées de ville sont une priorité.",
    "Les écoles doivent avoir une rue sans voitures aux heures d'entrée.",
    "Le bus devrait être gratuit pour les moins de 18 ans.",
    "Les arceaux à vélos manquent près des commerces.",
    "Les trottinettes en libre-service doivent être interdites.",
    "La ville doit éclairer les pistes cyclables la nuit.",
)
TITLES = {
    "charte": {
        "fr": "La charte numérique",
        "en": "The digital charter",
        "de": "Die digitale Charta",
    },
    "centre": {
        "fr": "Un centre-ville sans voitures ?",
        "en": "A car-free town centre?",
        "de": "Eine autofreie Innenstadt?",
    },
    "velo": {
        "fr": "Se déplacer à vélo : où en sommes-nous ?",
        "en": "Cycling: where do we stand?",
        "de": "Radfahren: Wo stehen wir?",
    },
}


def _instance(process: Process, slug: str, kind: str) -> ModuleInstance:
    instance, _created = ModuleInstance.objects.get_or_create(
        process=process,
        slug=slug,
        module="debates",
        defaults={"title": TITLES[slug], "settings": {"kind": kind}},
    )
    return instance


def _map_votes(instance: ModuleInstance, statements: list[Statement]) -> None:
    """Forty residents without accounts (as in an imported conversation), in two camps."""
    chance = random.Random(7)
    now = timezone.now()
    stamp = int(now.timestamp() * 1000)
    votes = []
    for number in range(40):
        voter = Voter.objects.create(instance=instance, number=number)
        camp = 1 if number % 3 else -1
        for i, statement in enumerate(statements):
            if chance.random() < 0.2:
                continue
            leaning = camp if i % 2 else 1
            value = leaning if chance.random() < 0.8 else chance.choice((-1, 0, 1))
            votes.append(
                StatementVote(
                    instance=instance,
                    statement=statement,
                    voter=voter,
                    value=value,
                    timestamp=stamp + len(votes),
                    changed_at=now,
                )
            )
    StatementVote.objects.bulk_create(votes)


def load_demo(*, organisation: Organisation, people: DemoPeople) -> None:
    """Three debates in the process “Villeneuve en débat”, open for a month."""
    process, _created = Process.objects.get_or_create(
        organisation=organisation,
        slug="debats",
        defaults={
            "title": {
                "fr": "Villeneuve en débat",
                "en": "Villeneuve debates",
                "de": "Villeneuve debattiert",
            }
        },
    )
    charter = _instance(process, "charte", "text")
    centre = _instance(process, "centre", "question")
    cycling = _instance(process, "velo", "map")
    if not Article.objects.filter(instance=charter).exists():
        articles = do_import_text(actor=people.organiser, instance=charter, text=CHARTER)
        Comment.objects.create(
            instance=charter,
            target_type="debates.article",
            target_id=articles[0].pk,
            author=people.participant,
            alignment=1,
            created_at=timezone.now(),
            language="fr",
            body="La transparence permet aux habitants de vérifier les choix de la ville.",
        )
    if not Question.objects.filter(instance=centre).exists():
        do_save_question(
            actor=people.organiser,
            instance=centre,
            title="Faut-il rendre le centre-ville piéton le samedi ?",
            body="Un essai de six mois est proposé pour la rue du Marché et la place de l'Église.",
        )
    if not Statement.objects.filter(instance=cycling).exists():
        made = [
            do_seed_statement(actor=people.organiser, instance=cycling, body=body)
            for body in STATEMENTS
        ]
        _map_votes(cycling, made)
        do_refresh_map(instance=cycling)
    demo_phase(
        process,
        title={"fr": "Débat", "en": "Debate", "de": "Debatte"},
        days=(-5, 25),
        openings=[
            (instance, capability)
            for instance in (charter, centre, cycling)
            for capability in ("show", "vote", "argue", "amend", "submit")
        ],
    )
