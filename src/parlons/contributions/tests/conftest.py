"""The toolkit is tested through its first user, the idea box: its fixtures serve here."""

from parlons.modules.ideas.tests.fixtures import *  # noqa: F403  (fixtures)
