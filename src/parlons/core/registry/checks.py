"""System checks over every module declaration (run at start-up and by ``parlons check``)."""

from __future__ import annotations

from django import forms
from django.apps import apps
from django.core import checks
from django.utils.module_loading import import_string

from parlons.core.registry.registry import ModuleRegistry, problems, registry


def check_modules(app_configs=None, *, modules: ModuleRegistry | None = None, **kwargs):
    """One error per problem in any declaration: ids ``parlons.E001``..``E008``."""
    errors: list[checks.CheckMessage] = []
    for declaration in modules if modules is not None else registry:
        errors.extend(_check(declaration))
    return errors


def _check(declaration) -> list[checks.CheckMessage]:
    key = declaration.key
    found = [checks.Error(text, id="parlons.E001", obj=key) for text in problems(declaration)]
    if not apps.is_installed(f"parlons.modules.{key}"):
        found.append(
            checks.Error(
                f"module {key!r} is declared but parlons.modules.{key} is not an installed app",
                hint="A module's key is its app label and its folder under parlons/modules/.",
                id="parlons.E002",
                obj=key,
            )
        )
    for attribute in ("urls", "backoffice_urls", "organisation_urls"):
        dotted = getattr(declaration, attribute)
        if dotted:
            try:
                module = __import__(dotted, fromlist=["urlpatterns"])
                if not hasattr(module, "urlpatterns"):
                    raise ImportError(f"{dotted} has no urlpatterns")
            except ImportError as error:
                found.append(
                    checks.Error(f"{key}.{attribute}: {error}", id="parlons.E003", obj=key)
                )
    if declaration.api_router:
        try:
            from ninja import Router

            router = import_string(declaration.api_router)
            if not isinstance(router, Router):
                raise ImportError(f"{declaration.api_router} is not a ninja Router")
        except ImportError as error:
            found.append(checks.Error(f"{key}.api_router: {error}", id="parlons.E004", obj=key))
    form = declaration.settings_form
    if form is not None and not (isinstance(form, type) and issubclass(form, forms.Form)):
        found.append(
            checks.Error(
                f"{key}.settings_form must be a Django Form class", id="parlons.E005", obj=key
            )
        )
    for periodic in declaration.periodic:
        try:
            import_string(periodic.task).enqueue  # noqa: B018 - a django Task has enqueue
        except (ImportError, AttributeError) as error:
            found.append(
                checks.Error(f"{key}.periodic {periodic.key}: {error}", id="parlons.E007", obj=key)
            )
    if bool(declaration.organisation_urls) != bool(declaration.organisation_menu):
        found.append(
            checks.Error(
                f"{key}: organisation_urls and organisation_menu go together",
                id="parlons.E008",
                obj=key,
            )
        )
    keys = [exporter.key for exporter in declaration.exporters]
    if len(keys) != len(set(keys)):
        found.append(
            checks.Error(f"{key}: exporter keys repeat: {keys}", id="parlons.E006", obj=key)
        )
    return found
