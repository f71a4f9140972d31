"""What the services of the three kinds share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from parlons.core.permissions import Decision, Refused
from parlons.modules.debates.settings import kind_of


def ensure_kind(instance: Any, kind: str) -> None:
    """Refuse an action of another kind of debate (a vote on an article of a map...)."""
    if kind_of(instance) != kind:
        raise Refused(Decision(False, "not_offered", _("This debate does not offer this.")))


def choice(value: Any, allowed: tuple[int, ...], message: str) -> int:
    """``value`` as one of ``allowed`` integers, or a ValidationError with ``message``."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number not in allowed:
        raise ValidationError(message, code="choice")
    return number
