"""System checks over the declared targets (ids ``contributions.E001``...``E004``)."""

from __future__ import annotations

from django.core import checks

from parlons.contributions.targets import TargetRegistry, targets
from parlons.core.registry import ModuleRegistry, registry


def check_targets(
    app_configs=None,
    *,
    declared: TargetRegistry | None = None,
    modules: ModuleRegistry | None = None,
    **kwargs,
):
    """Each target names a registered module, capabilities it offers, a model that
    inherits ContributionTarget and has the instance and author fields it names."""
    from parlons.contributions.models import ContributionTarget

    declared = declared if declared is not None else targets
    modules = modules if modules is not None else registry
    errors = []
    for target in declared:
        if target.module not in modules:
            errors.append(
                checks.Error(
                    f"target {target.model}: no module {target.module!r}",
                    id="contributions.E001",
                )
            )
            continue
        offered = set(modules.get(target.module).capabilities)
        missing = sorted(set(target.actions.values()) - offered)
        if missing:
            errors.append(
                checks.Error(
                    f"target {target.model}: module {target.module!r} does not offer {missing}",
                    id="contributions.E002",
                )
            )
        try:
            model = target.model_class()
        except (LookupError, ValueError) as error:
            errors.append(checks.Error(f"target {target.model}: {error}", id="contributions.E003"))
            continue
        if not issubclass(model, ContributionTarget):
            errors.append(
                checks.Error(
                    f"target {target.model} must inherit contributions.models.ContributionTarget",
                    id="contributions.E003",
                )
            )
        names = {f.name for f in model._meta.get_fields()}
        for attribute in (target.instance_field, target.author_field):
            if attribute and attribute not in names:
                errors.append(
                    checks.Error(
                        f"target {target.model} has no field {attribute!r}",
                        id="contributions.E004",
                    )
                )
    return errors
