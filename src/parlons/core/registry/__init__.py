"""The module registry: how modules declare themselves and how shells find them.

A module describes itself once, in ``modules/<key>/module.py``, as a
:class:`ModuleDeclaration` registered from its ``AppConfig.ready()``.  System checks
(``parlons.core.registry.checks``) validate every declaration at start-up.
"""

from parlons.core.registry.declarations import (
    CAPABILITIES,
    Capability,
    Exporter,
    ModuleDeclaration,
    Periodic,
    PersonalData,
)
from parlons.core.registry.registry import ModuleRegistry, RegistryError, registry

__all__ = [
    "CAPABILITIES",
    "Capability",
    "Exporter",
    "ModuleDeclaration",
    "ModuleRegistry",
    "Periodic",
    "PersonalData",
    "RegistryError",
    "registry",
]
