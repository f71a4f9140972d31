"""The real public datasets beside the repository (``../shared/data``), for tests.

Tests never carry copies of the data: they read it from there and skip, saying where it
was looked for, when the folder is absent.  ``PARLONS_SHARED_DATA`` points elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[3]


def shared_data_root() -> Path:
    """Where the shared datasets are looked for."""
    return Path(os.environ.get("PARLONS_SHARED_DATA", REPOSITORY.parent / "shared" / "data"))


def shared_data(*parts: str) -> Path:
    """The path of a shared dataset, or skip the calling test when it is absent."""
    path = shared_data_root().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real dataset {path} is absent (the shared data folder beside the repository)")
    return path
