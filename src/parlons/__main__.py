"""The ``parlons`` command line.

``parlons pb ...`` and ``parlons opinions ...`` are pure computations over files and run
without Django; everything else is a Django management command (``demo``, ``serve``,
``worker``, ``check``, ``import``...).
"""

from __future__ import annotations

import importlib
import os
import sys

PURE_COMMANDS = {"pb": "parlons.cli.pb", "opinions": "parlons.cli.opinions"}

ALIASES: dict[str, str] = {}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PURE_COMMANDS:
        module = importlib.import_module(PURE_COMMANDS[argv[0]])
        return int(module.main(argv[1:]) or 0)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parlons.config.settings")
    from django.core.management import execute_from_command_line

    if argv and argv[0] in ALIASES:
        argv[0] = ALIASES[argv[0]]
    execute_from_command_line(["parlons", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
