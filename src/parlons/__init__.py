"""Parlons: an open-source platform for public participation and advocacy."""

__version__ = "0.1.0"
