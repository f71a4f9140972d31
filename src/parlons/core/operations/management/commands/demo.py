"""``parlons demo``: load the demo city (idempotent); ``--logins`` prints the accounts."""

from django.core.management.base import BaseCommand

from parlons.core.operations.demo import PASSWORD, current_totp_code, load_demo


class Command(BaseCommand):
    help = "Create the demo city with a process for each module (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true", help="only print the demo logins")
        parser.add_argument(
            "--code", action="store_true", help="print the organiser's current two-factor code"
        )

    def handle(self, *args, logins=False, code=False, **options):
        if code:
            self.stdout.write(current_totp_code())
            return
        if not logins:
            organisation = load_demo()
            self.stdout.write(f"demo loaded: {organisation.name}")
        self.stdout.write(
            f"demo logins (password for all: {PASSWORD})\n"
            "  organiser   organisatrice@villeneuve.demo\n"
            "  participant habitant@villeneuve.demo\n"
            "  evaluator   evaluateur@villeneuve.demo\n"
            "  moderator   moderatrice@villeneuve.demo\n"
            "The organiser's two-factor code: ./run demo --code"
        )
