"""The participatory budget of the demo city: three districts and a city-wide budget."""

from __future__ import annotations

from parlons.core.operations.demo import DemoPeople, demo_phase
from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import Area, ModuleInstance, Process
from parlons.modules.budgets.models import Budget, Project, Status

DISTRICTS = {
    "centre": [
        ("Des bancs et de l'ombre place du Marché", 45000, "Espaces verts"),
        ("Une fontaine à boire rue des Halles", 18000, "Santé"),
        ("Un abri à vélos sécurisé à la gare", 60000, "Mobilité"),
    ],
    "les-rives": [
        ("Un ponton pour la baignade surveillée", 90000, "Loisirs"),
        ("Des jeux d'eau pour les enfants", 70000, "Loisirs"),
        ("Éclairage du chemin de halage", 40000, "Sécurité"),
    ],
    "plateau": [
        ("Un jardin partagé derrière l'école", 25000, "Espaces verts"),
        ("Une piste cyclable vers le collège", 110000, "Mobilité"),
        ("Une boîte à livres sur la place", 3000, "Culture"),
    ],
}
CITY = [
    ("Mille arbres pour la ville", 250000, "Espaces verts"),
    ("Une ludothèque itinérante", 80000, "Culture"),
    ("Des toilettes publiques accessibles", 150000, "Santé"),
    ("Une navette électrique le dimanche", 300000, "Mobilité"),
]


def _project(budget, instance, people, title, cost, category, area=None):
    Project.objects.get_or_create(
        budget=budget,
        title=title,
        defaults={
            "instance": instance,
            "author": people.participant,
            "body": f"{title}. Proposé par des habitants, étudié par les services de la ville.",
            "cost": cost,
            "category": category,
            "area": area,
            "status": Status.FEASIBLE,
        },
    )


def load_demo(*, organisation: Organisation, people: DemoPeople) -> None:
    """A 2027 participatory budget: one budget per district (residents only, approval)
    and one city-wide (knapsack), vote open now, rule MES with greedy completion."""
    process, _created = Process.objects.get_or_create(
        organisation=organisation,
        slug="budget-participatif-2027",
        defaults={
            "title": {
                "fr": "Budget participatif 2027",
                "en": "Participatory budget 2027",
                "de": "Bürgerhaushalt 2027",
            },
            "summary": {
                "fr": "1 million d'euros pour vos projets.",
                "en": "One million euros for your projects.",
                "de": "Eine Million Euro für Ihre Projekte.",
            },
        },
    )
    instance, _created = ModuleInstance.objects.get_or_create(
        process=process,
        slug="vote",
        module="budgets",
        defaults={"title": {"fr": "Le vote", "en": "The vote", "de": "Die Abstimmung"}},
    )
    for position, (code, ideas) in enumerate(DISTRICTS.items()):
        area = Area.objects.filter(organisation=organisation, code=code).first()
        budget, _created = Budget.objects.get_or_create(
            instance=instance,
            slug=code,
            defaults={
                "title": {"fr": f"Quartier : {area.name.get('fr', code) if area else code}"},
                "amount": 150000,
                "area": area,
                "ballot_type": "approval",
                "min_choices": 1,
                "max_choices": 2,
                "rule": "mes+greedy",
                "position": position,
            },
        )
        for title, cost, category in ideas:
            _project(budget, instance, people, title, cost, category, area)
    city, _created = Budget.objects.get_or_create(
        instance=instance,
        slug="ville",
        defaults={
            "title": {"fr": "Toute la ville", "en": "City-wide", "de": "Gesamtstadt"},
            "amount": 550000,
            "ballot_type": "knapsack",
            "min_choices": 1,
            "rule": "mes+greedy",
            "position": 10,
        },
    )
    for title, cost, category in CITY:
        _project(city, instance, people, title, cost, category)
    demo_phase(
        process,
        title={"fr": "Vote", "en": "Vote", "de": "Abstimmung"},
        days=(-3, 20),
        openings=[
            (instance, "show"),
            (instance, "vote"),
            (instance, "comment"),
            (instance, "mediate"),
        ],
    )
