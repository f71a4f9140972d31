"""The demo city's petition: a clear ask to a named target, a goal, a deadline, thresholds."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from parlons.core.operations.demo import DemoPeople, demo_phase
from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import ModuleInstance, Process
from parlons.modules.petitions.models import Petition, Status

TEXT = (
    "Chaque matin, 600 enfants traversent l'avenue de la Gare pour aller à l'école "
    "Jules-Ferry. Les voitures y roulent vite, le trottoir est étroit, et deux enfants ont "
    "été renversés cette année.\n\nUne rue scolaire, fermée aux voitures 30 minutes à "
    "l'entrée et à la sortie des classes, existe déjà dans des dizaines de villes. Elle ne "
    "coûte presque rien, et elle rend la rue aux enfants et aux parents.\n\nSignez pour "
    "que le conseil municipal en décide avant la rentrée."
)


def load_demo(*, organisation: Organisation, people: DemoPeople) -> None:
    """A petition for a school street, open to guests, with thresholds."""
    process, _created = Process.objects.get_or_create(
        organisation=organisation,
        slug="rue-scolaire",
        defaults={
            "title": {"fr": "Une rue scolaire", "en": "A school street", "de": "Eine Schulstraße"},
            "languages": ["fr", "en", "de"],
        },
    )
    instance, _created = ModuleInstance.objects.get_or_create(
        process=process,
        slug="petition",
        module="petitions",
        defaults={
            "title": {"fr": "La pétition", "en": "The petition", "de": "Die Petition"},
            "settings": {"allow_guests": True, "participants_propose": True},
        },
    )
    Petition.objects.get_or_create(
        instance=instance,
        title="Une rue scolaire devant l'école Jules-Ferry",
        defaults={
            "owner": people.participant,
            "ask": "Fermer l'avenue de la Gare aux voitures 30 minutes à l'entrée et à la sortie des classes.",
            "text": TEXT,
            "target": "Le conseil municipal de Villeneuve",
            "goal": 1000,
            "deadline": timezone.now() + timedelta(days=60),
            "thresholds": [
                {"count": 500, "text": "le maire reçoit les signataires"},
                {
                    "count": 1000,
                    "text": "le conseil municipal doit inscrire la demande à son ordre du jour",
                },
            ],
            "status": Status.PUBLISHED,
            "published_at": timezone.now(),
        },
    )
    demo_phase(
        process,
        title={"fr": "Signatures", "en": "Signing", "de": "Unterschriften"},
        days=(-3, 60),
        openings=[(instance, "show"), (instance, "sign"), (instance, "submit")],
    )
