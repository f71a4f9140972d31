"""The registry object: holds declarations, rejects bad or duplicate ones loudly."""

from __future__ import annotations

import re
from collections.abc import Iterator

from parlons.core.registry.declarations import CAPABILITIES, ModuleDeclaration

KEY = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
PERMISSION = re.compile(r"^(?P<module>[a-z][a-z0-9_]*)\.[a-z][a-z0-9_.]*:[a-z][a-z0-9_]*$")
AUDIT_CODE = re.compile(r"^(?P<module>[a-z][a-z0-9_]*)(\.[a-z][a-z0-9_]*)+$")


class RegistryError(ValueError):
    """A module declaration is wrong; the message says what and where."""


def problems(declaration: ModuleDeclaration) -> list[str]:
    """Everything wrong with one declaration, as sentences (empty when valid)."""
    found: list[str] = []
    key = declaration.key
    if not KEY.match(key):
        found.append(f"key {key!r} must be lowercase letters, digits and _ (2-40 chars)")
    unknown = [c for c in declaration.capabilities if c not in CAPABILITIES]
    if unknown:
        found.append(f"{key}: unknown capabilities {unknown}; known: {sorted(CAPABILITIES)}")
    if "show" not in declaration.capabilities:
        found.append(f"{key}: every module offers the 'show' capability")
    for combination in declaration.phase_combinations:
        extra = set(combination) - set(declaration.capabilities)
        if extra:
            found.append(
                f"{key}: phase combination {sorted(combination)} names "
                f"capabilities the module does not offer: {sorted(extra)}"
            )
    for name in declaration.permissions:
        match = PERMISSION.match(name)
        if not match or match["module"] != key:
            found.append(f"{key}: permission {name!r} must look like '{key}.object:verb'")
    for code in declaration.audit_actions:
        match = AUDIT_CODE.match(code)
        if not match or match["module"] != key:
            found.append(f"{key}: audit code {code!r} must look like '{key}.object.done'")
    for periodic in declaration.periodic:
        match = AUDIT_CODE.match(periodic.key)
        if not match or match["module"] != key:
            found.append(f"{key}: periodic key {periodic.key!r} must look like '{key}.thing.verb'")
    return found


class ModuleRegistry:
    """The modules Parlons knows.  Build a fresh one in tests; the app uses ``registry``."""

    def __init__(self) -> None:
        self._modules: dict[str, ModuleDeclaration] = {}

    def register(self, declaration: ModuleDeclaration) -> ModuleDeclaration:
        """Add a module; a duplicate key or an invalid declaration raises RegistryError."""
        if declaration.key in self._modules:
            raise RegistryError(f"module {declaration.key!r} is already registered")
        found = problems(declaration)
        if found:
            raise RegistryError("; ".join(found))
        self._modules[declaration.key] = declaration
        return declaration

    def get(self, key: str) -> ModuleDeclaration:
        """The declaration of ``key``; KeyError names the known modules."""
        try:
            return self._modules[key]
        except KeyError:
            raise KeyError(f"no module {key!r}; known: {sorted(self._modules)}") from None

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def __iter__(self) -> Iterator[ModuleDeclaration]:
        return iter(sorted(self._modules.values(), key=lambda d: d.key))

    def __len__(self) -> int:
        return len(self._modules)

    def audit_sentence(self, code: str):
        """The sentence template for an audit code, from the module that declared it."""
        module = code.split(".", 1)[0]
        if module in self._modules:
            return self._modules[module].audit_actions.get(code)
        return None


registry = ModuleRegistry()
