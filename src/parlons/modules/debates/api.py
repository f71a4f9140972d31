"""The debates API router (filled below)."""

from ninja import Router

router = Router(tags=["debates"])
