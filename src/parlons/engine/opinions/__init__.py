"""Opinion maps (Polis): PCA of the vote matrix, opinion groups, representative comments.

Pure numpy/scipy, no Django. Entry points: ``compute_opinion_map`` for a one-off
computation and ``OpinionState`` for incremental updates; see ``state.py``.
"""

from parlons.engine.opinions.state import (
    OpinionConfig,
    OpinionGroup,
    OpinionMap,
    OpinionState,
    compute_opinion_map,
)
from parlons.engine.opinions.votes import VoteBatch, VoteMatrix

__all__ = [
    "OpinionConfig",
    "OpinionGroup",
    "OpinionMap",
    "OpinionState",
    "VoteBatch",
    "VoteMatrix",
    "compute_opinion_map",
]
