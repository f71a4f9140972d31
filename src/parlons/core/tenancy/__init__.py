"""Tenant isolation by construction.

Organisation-owned models use :class:`ScopedManager`.  Querying them outside an active
scope raises :class:`ScopeError`, so a view that forgets to say which organisation it
serves fails loudly instead of leaking another organisation's rows.  Requests under an
organisation's URL get its scope from :class:`ScopeMiddleware`; code that legitimately
spans organisations (the home page, the demo loader, operators' commands) says so with
``scopes_disabled()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models

_ALL = object()
_scope: ContextVar[Any] = ContextVar("parlons_tenancy_scope", default=None)


class ScopeError(RuntimeError):
    """A scoped model was queried with no organisation scope active."""


@contextmanager
def scope(*, organisation: Any) -> Iterator[None]:
    """Run the block with queries on scoped models limited to ``organisation``."""
    token = _scope.set(organisation)
    try:
        yield
    finally:
        _scope.reset(token)


@contextmanager
def scopes_disabled() -> Iterator[None]:
    """Run the block with every organisation visible (cross-organisation code only)."""
    token = _scope.set(_ALL)
    try:
        yield
    finally:
        _scope.reset(token)


def current_organisation() -> Any:
    """The organisation in scope, or None when no scope or all scopes are active."""
    value = _scope.get()
    return None if value is _ALL else value


class ScopedManager(models.Manager):
    """A manager that filters on the organisation in scope.

    The model names the lookup from itself to its organisation in a ``tenant_path``
    class attribute, e.g. ``"organisation"`` or ``"process__organisation"`` (an
    attribute rather than an argument, because Django builds related managers by
    subclassing the default manager and calling it without arguments).
    """

    def get_queryset(self) -> models.QuerySet:
        value = _scope.get()
        queryset = super().get_queryset()
        if value is _ALL:
            return queryset
        if value is None:
            raise ScopeError(
                f"{self.model.__name__} is owned by an organisation: query it inside "
                "tenancy.scope(organisation=...) or tenancy.scopes_disabled()"
            )
        return queryset.filter(**{self.model.tenant_path: value})
