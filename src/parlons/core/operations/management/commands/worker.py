"""``parlons worker``: run background tasks, and enqueue periodic ones on schedule.

It is Django's database task worker (``db_worker``) with a scheduler thread beside it.
Run as many workers as needed, on any machine; each periodic run is enqueued once.
"""

import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand

from parlons.core.operations.schedule import run_scheduler


class Command(BaseCommand):
    help = "Run background tasks (e-mails, counts, results) and the periodic schedule."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-schedule", action="store_true", help="do not enqueue periodic tasks"
        )
        parser.add_argument("--interval", type=float, default=0.5, help="polling interval (s)")

    def handle(self, *args, no_schedule=False, interval=0.5, **options):
        stop = threading.Event()
        scheduler = None
        if not no_schedule:
            scheduler = threading.Thread(
                target=run_scheduler, kwargs={"stop": stop}, name="scheduler", daemon=True
            )
            scheduler.start()
        try:
            call_command("db_worker", interval=interval, verbosity=options["verbosity"])
        finally:
            stop.set()
            if scheduler is not None:
                scheduler.join(timeout=5)
