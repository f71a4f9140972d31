"""``parlons makemessages-lite``: bring every catalogue in step with the source.

New strings are added untranslated, vanished ones removed, existing translations kept.
Translate the new entries in ``<app>/locale/{fr,de}/LC_MESSAGES/django.po`` afterwards;
the translation tests fail until every entry has its French and German text.
"""

from django.core.management.base import BaseCommand

from parlons.core.operations.catalogues import (
    LANGUAGES,
    PACKAGE,
    messages_by_catalogue,
    po_path,
    update_catalogue,
)


class Command(BaseCommand):
    help = "Update the French and German catalogues of every app from the source."
    requires_system_checks = []

    def handle(self, *args, **options):
        for root, messages in messages_by_catalogue().items():
            for language in LANGUAGES:
                path = po_path(root, language)
                added, removed = update_catalogue(path, messages, language)
                if added or removed:
                    self.stdout.write(
                        f"{path.relative_to(PACKAGE)}: {added} new, {removed} removed"
                    )
