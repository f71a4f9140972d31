"""``parlons serve``: the web server (granian, WSGI) for the embedded and production modes.

Granian also serves the live files the batch jobs write (``LIVE_FILES_DIR``, such as each
petition's public count) at ``/live/`` from Rust: reading them costs no Python thread.
"""

import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

LIVE_ROUTE = "/live"
LIVE_EXPIRES = 5  # seconds: as long as a count is kept anywhere else


def granian_argv(*, host: str, port: int, workers: int, threads: int, live_dir: Path) -> list:
    """The command line that runs granian with the app and the live files' route."""
    return [
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
        "--static-path-route",
        LIVE_ROUTE,
        "--static-path-mount",
        str(live_dir),
        "--static-path-expires",
        str(LIVE_EXPIRES),
        "parlons.config.wsgi:application",
    ]


class Command(BaseCommand):
    help = "Serve Parlons over HTTP with granian."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, workers, threads, **options):
        live_dir = Path(settings.LIVE_FILES_DIR)
        live_dir.mkdir(parents=True, exist_ok=True)
        argv = granian_argv(
            host=host, port=port, workers=workers, threads=threads, live_dir=live_dir
        )
        os.execv(sys.executable, argv)
