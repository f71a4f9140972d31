"""The results version of a questionnaire: what its cached results are valid under.

Each process keeps the decoded responses of recent questionnaires (``matrix_cache.py``).
They stay valid while the *results version* has not changed: a few rows of random
tokens, read by one lookup of the unique index (questionnaire, shard) whatever the
number of responses. Every write that changes what the results count calls
:func:`bump_results_version` inside its own transaction, as its last statement: a new
response, a completed draft, a confirmed guest, an import, a participant's erasure, a
re-coding of the stored answers (``services.py``, ``importing.py``,
``personal_data.py``, ``demo.py``; ``tests/test_results_version.py`` checks each path,
and that no function of the module writes responses without bumping).

Why tokens and shards rather than one counter:

- a random token per write never comes back, so a state cannot be mistaken for an
  older one (a rolled-back transaction, a restored backup, a SQLite id reused);
- the token row stays locked from the bump to the commit, so two writes on one row wait
  for each other's commit. Each thread of each process writes its own shard of
  :data:`SHARDS` (always the same one, so a transaction that bumps twice locks one row
  and cannot deadlock with another), and parallel submissions rarely meet on a row; the
  bump is the transaction's last statement, so a meeting costs the other's commit only.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterable

from parlons.modules.surveys.models import ResultsVersion

SHARDS = 16

Version = tuple[tuple[int, int], ...]


def bump_results_version(*, questionnaire_ids: Iterable[int]) -> None:
    """Give each questionnaire a new results version, in the current transaction.

    One upsert per questionnaire, in id order (two transactions that bump several
    questionnaires take their rows in the same order).
    """
    shard = hash((os.getpid(), threading.get_ident())) % SHARDS
    for questionnaire_id in sorted(set(questionnaire_ids)):
        # The questionnaire was checked by the caller; no organisation join needed.
        ResultsVersion._base_manager.bulk_create(
            [
                ResultsVersion(
                    questionnaire_id=questionnaire_id, shard=shard, token=secrets.randbits(63)
                )
            ],
            update_conflicts=True,
            unique_fields=["questionnaire", "shard"],
            update_fields=["token"],
        )


def results_version(*, questionnaire_id: int) -> Version:
    """The (shard, token) pairs of the questionnaire: one indexed lookup of <= SHARDS rows."""
    return tuple(
        ResultsVersion._base_manager.filter(questionnaire_id=questionnaire_id)
        .order_by("shard")
        .values_list("shard", "token")
    )
