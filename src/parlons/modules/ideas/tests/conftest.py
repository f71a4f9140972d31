"""Fixtures of the idea box's tests."""

from parlons.modules.ideas.tests.fixtures import *  # noqa: F403  (fixtures)
