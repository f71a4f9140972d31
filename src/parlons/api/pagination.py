"""Pagination of API lists: ``limit`` and ``offset``, both bounded."""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 100
# Far beyond any real list, and within what every database accepts as an OFFSET.
MAX_OFFSET = 1_000_000_000


class Pages(LimitOffsetPagination):
    """``?limit=&offset=``; out-of-range values are refused (422), not clamped silently."""

    class Input(Schema):
        limit: int = Field(MAX_LIMIT, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
