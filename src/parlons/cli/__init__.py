"""Command-line entry points that need no database: pure glue over `engine` and `formats`.

Each submodule exposes ``main(argv: list[str]) -> int`` and is reached as
``parlons <name> ...`` without starting Django.
"""
