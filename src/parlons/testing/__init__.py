"""Test support for Parlons: the pytest plugin, factories and browser helpers."""
