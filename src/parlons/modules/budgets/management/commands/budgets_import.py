"""``parlons budgets_import FILE.pb --organisation ORG --process P --instance I --slug S``."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import ModuleInstance
from parlons.core.tenancy import scope
from parlons.modules.budgets.imports import do_import_pb


class Command(BaseCommand):
    help = "Import a Pabulib .pb file as a past budget of a participatory budget."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--organisation", required=True)
        parser.add_argument("--process", required=True)
        parser.add_argument("--instance", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--title", default="")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError("no such organisation")
        with scope(organisation=organisation):
            instance = ModuleInstance.objects.filter(
                process__slug=options["process"], slug=options["instance"], module="budgets"
            ).first()
            if instance is None:
                raise CommandError("no such participatory budget (module instance)")
            text = Path(options["file"]).read_text(encoding="utf-8")
            title = options["title"] or Path(options["file"]).stem
            try:
                budget = do_import_pb(
                    actor=None,
                    instance=instance,
                    text=text,
                    slug=options["slug"],
                    title={instance.process.languages[0]: title},
                )
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
        winners = budget.results["winners"]
        self.stdout.write(f"imported {budget.slug}: {len(winners)} funded projects")
