"""Pytest plugin for Parlons (loaded from pyproject's addopts)."""
