"""``parlons debates_import_polis ORGANISATION PROCESS INSTANCE DIRECTORY``: a Polis
open-data conversation into an empty opinion map, then its map computed."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from parlons.core.permissions import Refused
from parlons.core.processes.models import ModuleInstance
from parlons.core.tenancy import scopes_disabled
from parlons.formats import polis
from parlons.modules.debates.polis_io import do_import_conversation
from parlons.modules.debates.services.maps import do_refresh_map


class Command(BaseCommand):
    help = "Import a Polis conversation (open-data export) into an empty opinion map."

    def add_arguments(self, parser):
        for name in ("organisation", "process", "instance", "directory"):
            parser.add_argument(name)

    def handle(self, *args, **options):
        try:
            conversation = polis.read_conversation(directory=options["directory"])
        except polis.PolisFormatError as error:
            raise CommandError(str(error)) from None
        with scopes_disabled(), transaction.atomic():
            instance = (
                ModuleInstance.objects.filter(
                    module="debates",
                    slug=options["instance"],
                    process__slug=options["process"],
                    process__organisation__slug=options["organisation"],
                )
                .select_related("process")
                .first()
            )
            if instance is None:
                raise CommandError("no such debate")
            try:
                counts = do_import_conversation(
                    actor=None, instance=instance, conversation=conversation
                )
            except (Refused, ValidationError) as error:
                raise CommandError(str(error)) from None
            result = do_refresh_map(instance=instance).result
        groups = len(result.get("groups", []))
        self.stdout.write(
            f"{counts['statements']} statements, {counts['votes']} votes, "
            f"{counts['voters']} voters; {groups} groups"
        )
