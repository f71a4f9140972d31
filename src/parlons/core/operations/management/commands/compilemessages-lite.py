"""``parlons compilemessages-lite``: compile the .po catalogues to .mo without gettext tools.

Compiled catalogues are build products and are not committed; ``./run`` and ``./test``
call this before anything else, so a fresh machine needs no GNU gettext.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile translation catalogues (.po → .mo) with polib."
    requires_system_checks = []

    def handle(self, *args, **options):
        compiled = 0
        for root in settings.LOCALE_PATHS:
            for po_path in Path(root).glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        if compiled and options["verbosity"] > 1:
            self.stdout.write(f"compiled {compiled} catalogue(s)")
