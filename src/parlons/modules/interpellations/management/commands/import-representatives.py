"""``parlons import-representatives``: import or re-import a directory of representatives
from files and print what changed.

    parlons import-representatives villeneuve deputes --source fr-deputies \\
        --deputies fr/deputes_actifs_datan.csv --communes fr/circo_composition_insee.csv \\
        --postcodes fr/laposte_hexasmal.csv
    parlons import-representatives villeneuve mps --source uk-mps --file uk/mp_lookup.csv
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from parlons.core.organisations.models import Organisation
from parlons.core.tenancy import scope
from parlons.modules.interpellations import services
from parlons.modules.interpellations.models import Directory, Source

FILES = ("file", "deputies", "communes", "postcodes", "regions")


class Command(BaseCommand):
    help = "Import or re-import a directory of representatives and report what changed."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="the organisation's address (slug)")
        parser.add_argument("directory", help="the directory's code; created if new")
        parser.add_argument("--source", required=True, choices=Source.values)
        parser.add_argument("--name", default="", help="the name of a new directory")
        parser.add_argument("--mapping", default="", help="CSV: field=column,field=column")
        for name in FILES:
            parser.add_argument(f"--{name}", default=None, help=f"path of the {name} file")
        parser.add_argument("--verbose-names", action="store_true", help="list every name")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"no organisation {options['organisation']!r}")
        files = {name: options[name] for name in FILES if options[name]}
        with scope(organisation=organisation):
            try:
                parsed = services.read_directory_files(
                    source=options["source"], files=files, mapping=options["mapping"]
                )
                directory = self._directory(organisation, options)
                report = services.do_import_directory(
                    actor=None, directory=directory, parsed=parsed
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        self._print(directory, report, options["verbose_names"])

    def _directory(self, organisation, options) -> Directory:
        found = Directory.objects.filter(
            organisation=organisation, slug=options["directory"]
        ).first()
        if found is not None:
            if found.source != options["source"]:
                raise CommandError(f"{found.slug} is a {found.source} directory")
            return found
        return services.do_create_directory(
            actor=None,
            organisation=organisation,
            name=options["name"] or options["directory"],
            source=options["source"],
            slug=options["directory"],
        )

    def _print(self, directory, report, names: bool) -> None:
        counts = report.summary()
        self.stdout.write(
            f"{directory.slug}: {counts['added']} added, {counts['changed']} changed, "
            f"{counts['removed']} removed, {counts['unchanged']} unchanged; "
            f"{counts['constituencies']} constituencies, {counts['postcodes']} postcode rows"
        )
        if names:
            for name in report.added:
                self.stdout.write(f"  + {name}")
            for name, fields in report.changed:
                self.stdout.write(f"  ~ {name}: {', '.join(fields)}")
            for name in report.removed:
                self.stdout.write(f"  - {name}")
        for warning in report.warnings:
            self.stdout.write(f"  ! {warning}")
