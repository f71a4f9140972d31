"""``parlons import ideas``: proposals and comments from a CONSUL or Decidim CSV export."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from parlons.core.organisations.models import Organisation
from parlons.core.processes.models import ModuleInstance
from parlons.core.tenancy import scope
from parlons.modules.ideas.importing import read_comments, read_ideas
from parlons.modules.ideas.services import do_import_ideas


def instance_at(address: str) -> ModuleInstance:
    """The idea box at ``organisation/process/instance`` (the slugs of its address)."""
    parts = address.strip("/").split("/")
    if len(parts) != 3:
        raise CommandError("--into takes organisation/process/instance (their slugs).")
    organisation = Organisation.objects.filter(slug=parts[0]).first()
    if organisation is None:
        raise CommandError(f"No organisation {parts[0]!r}.")
    with scope(organisation=organisation):
        found = ModuleInstance.objects.filter(
            process__organisation=organisation, process__slug=parts[1], slug=parts[2]
        ).first()
    if found is None or found.module != "ideas":
        raise CommandError(f"No idea box at {address!r}.")
    return found


class Command(BaseCommand):
    help = (
        "Import into an idea box the proposals (and their comments) of a CONSUL or Decidim "
        "CSV export. Safe to run again: rows already imported from the same origin are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=["ideas"], help="what to import (ideas)")
        parser.add_argument(
            "--into", required=True, help="the idea box: organisation/process/instance"
        )
        parser.add_argument("--ideas", required=True, type=Path, help="the proposals CSV")
        parser.add_argument("--comments", type=Path, help="the comments CSV (optional)")
        parser.add_argument(
            "--origin",
            default="",
            help="a name for the source (default: the proposals file's name); "
            "re-imports from one origin skip what is there",
        )
        parser.add_argument("--language", default="", help="the language of the texts (es, fr...)")

    def handle(self, *args, into, ideas, comments, origin, language, **options):
        instance = instance_at(into)
        ideas, comments = Path(ideas), Path(comments) if comments else None
        for path in (ideas, comments):
            if path is not None and not path.is_file():
                raise CommandError(f"{path} is not a file.")
        try:
            rows = read_ideas(ideas)
            comment_rows = read_comments(comments) if comments else []
            with scope(organisation=instance.process.organisation):
                report = do_import_ideas(
                    actor=None,
                    instance=instance,
                    ideas=rows,
                    comments=comment_rows,
                    origin=origin or ideas.stem[:80],
                    language=language,
                )
        except ValidationError as error:
            raise CommandError("\n".join(error.messages)) from None
        self.stdout.write(
            f"{report.ideas} ideas and {report.comments} comments imported into {into}"
            f" ({report.categories} new categories; already there: {report.skipped_ideas}"
            f" ideas, {report.skipped_comments} comments; {report.orphans} replies whose"
            " parent is not in the file start a thread)."
        )
