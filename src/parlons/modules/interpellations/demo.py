"""The interpellation module's part of the demo city (filled in below)."""

from __future__ import annotations

from parlons.core.operations.demo import DemoPeople
from parlons.core.organisations.models import Organisation


def load_demo(*, organisation: Organisation, people: DemoPeople) -> None:
    """Nothing yet."""
