"""``parlons debates_import_republique ORGANISATION DIRECTORY``: the 2015 République
numérique consultation as a past consultation of an organisation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import ModuleInstance, Opening, Phase, Process
from parlons.core.tenancy import scopes_disabled
from parlons.modules.debates.republique import do_import_republique_numerique

DEFAULT = "consultations/fr_republique_numerique_2015"


class Command(BaseCommand):
    help = "Import the République numérique consultation (2015) as a past consultation."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="slug of the organisation that receives it")
        parser.add_argument("directory", help=f"the data folder (…/{DEFAULT})")
        parser.add_argument("--process", default="republique-numerique")

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        if not (directory / "opinions").is_dir():
            raise CommandError(f"{directory} has no opinions/ folder")
        with scopes_disabled(), transaction.atomic():
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"no organisation {options['organisation']!r}")
            instance = past_consultation(organisation=organisation, slug=options["process"])
            result = do_import_republique_numerique(
                actor=None, instance=instance, directory=directory
            )
        self.stdout.write(
            f"{result.articles} articles, {result.proposals} proposals, "
            f"{result.arguments} arguments, {result.sources} sources, {result.votes} votes"
        )


def past_consultation(*, organisation: Organisation, slug: str) -> ModuleInstance:
    """The process and text consultation that hold the import, shown in a past phase."""
    title = {
        "fr": "Projet de loi pour une République numérique (2015)",
        "en": "Bill for a Digital Republic (2015)",
        "de": "Gesetzentwurf für eine digitale Republik (2015)",
    }
    process, _created = Process.objects.get_or_create(
        organisation=organisation, slug=slug, defaults={"title": title}
    )
    instance, _created = ModuleInstance.objects.get_or_create(
        process=process,
        slug="consultation",
        defaults={"module": "debates", "title": title, "settings": {"kind": "text"}},
    )
    phase, _created = Phase.objects.get_or_create(
        process=process,
        title={"fr": "Consultation", "en": "Consultation", "de": "Konsultation"},
        defaults={
            "starts_at": datetime(2015, 9, 26, tzinfo=UTC),
            "ends_at": datetime(2015, 10, 18, tzinfo=UTC),
        },
    )
    Opening.objects.get_or_create(phase=phase, instance=instance, capability="show")
    return instance
