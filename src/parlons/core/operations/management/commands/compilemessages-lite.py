"""``parlons compilemessages-lite``: compile the .po catalogues to .mo without gettext tools.

Compiled catalogues are build products and are not committed; ``./run`` and ``./test``
call this before anything else, so a fresh machine needs no GNU gettext.
"""

from django.core.management.base import BaseCommand

from parlons.core.operations.catalogues import compile_catalogues


class Command(BaseCommand):
    help = "Compile every translation catalogue of Parlons (.po → .mo) with polib."
    requires_system_checks = []

    def handle(self, *args, **options):
        compiled = compile_catalogues()
        if compiled and options["verbosity"] > 1:
            self.stdout.write(f"compiled {compiled} catalogue(s)")
