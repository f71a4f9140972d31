"""Fixtures of the participatory budget's tests."""

from parlons.modules.budgets.tests.fixtures import *  # noqa: F403  (fixtures)
