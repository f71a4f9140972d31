"""``parlons serve``: the granian command line (a real server: petitions' live counts)."""

from __future__ import annotations

import sys

from parlons.core.operations.management.commands.serve import granian_argv


def option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_serve_runs_granian_with_the_app_and_the_live_route(tmp_path):
    argv = granian_argv(host="127.0.0.1", port=8123, workers=2, threads=4, live_dir=tmp_path)
    assert argv[:3] == [sys.executable, "-m", "granian"]
    assert option(argv, "--static-path-route") == "/live"
    assert option(argv, "--static-path-mount") == str(tmp_path)
    assert option(argv, "--static-path-expires") == "5"
    assert option(argv, "--workers") == "2"
    assert option(argv, "--blocking-threads") == "4"
    assert option(argv, "--port") == "8123"
    assert argv.count("--static-path-route") == argv.count("--static-path-mount") == 1
    assert argv[-1] == "parlons.config.wsgi:application"
