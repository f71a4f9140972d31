"""One question for every permission.

"May this person do capability C on module instance M now?" is answered here and only
here, by :func:`decide`; lists ask its queryset form, :func:`instances_where`.  Every
view, API endpoint, task and command goes through these functions.
"""

from parlons.core.permissions.decide import (
    Decision,
    Refused,
    decide,
    ensure,
    instances_where,
    processes_visible_to,
    roles_of,
)

__all__ = [
    "Decision",
    "Refused",
    "decide",
    "ensure",
    "instances_where",
    "processes_visible_to",
    "roles_of",
]
