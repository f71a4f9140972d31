"""``parlons serve``: the web server (granian, WSGI) for the embedded and production modes."""

import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Parlons over HTTP with granian."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, workers, threads, **options):
        argv = [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--blocking-threads",
            str(threads),
            "--no-ws",
            "parlons.config.wsgi:application",
        ]
        os.execv(sys.executable, argv)
