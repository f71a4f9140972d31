"""The pages module's part of the demo city."""

from __future__ import annotations

from parlons.core.operations.demo import DemoPeople, demo_phase
from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import ModuleInstance, Process
from parlons.modules.pages.models import Page


def load_demo(*, organisation: Organisation, people: DemoPeople) -> None:
    """The welcome process: how the town involves residents, and its charter."""
    process, _created = Process.objects.get_or_create(
        organisation=organisation,
        slug="participer",
        defaults={
            "title": {
                "fr": "Participer à Villeneuve",
                "en": "Taking part in Villeneuve",
                "de": "Mitmachen in Villeneuve",
            },
            "summary": {
                "fr": "Comment la ville associe ses habitants, et la charte de la participation.",
                "en": "How the town involves its residents, and the participation charter.",
                "de": "Wie die Stadt ihre Bevölkerung beteiligt, und die Charta der Beteiligung.",
            },
        },
    )
    charter, _created = ModuleInstance.objects.get_or_create(
        process=process,
        slug="charte",
        module="pages",
        defaults={
            "title": {
                "fr": "La charte de la participation",
                "en": "The participation charter",
                "de": "Die Charta der Beteiligung",
            }
        },
    )
    Page.objects.get_or_create(
        instance=charter,
        defaults={
            "body": {
                "fr": "## Nos engagements\n\n- Chaque contribution reçoit une réponse.\n"
                "- Les résultats sont publiés, avec les raisons des choix.\n"
                "- Vos données personnelles ne servent qu'à la participation.",
                "en": "## Our commitments\n\n- Every contribution gets an answer.\n"
                "- Results are published, with the reasons for each choice.\n"
                "- Your personal data serve participation only.",
                "de": "## Unsere Zusagen\n\n- Jeder Beitrag erhält eine Antwort.\n"
                "- Die Ergebnisse werden mit ihren Gründen veröffentlicht.\n"
                "- Ihre persönlichen Daten dienen nur der Beteiligung.",
            }
        },
    )
    demo_phase(
        process,
        title={"fr": "Toute l'année", "en": "All year", "de": "Ganzjährig"},
        days=(-30, 335),
        openings=[(charter, "show")],
    )
